import { LINK_AUTH_WINDOW_S, LINK_HEADERS, NonceLog, signLink, verifyLink } from './link-auth.js';

const SECRET = 'a-cluster-secret-of-at-least-32-characters';
const NOW = 1_800_000_000;

describe('cluster link authentication', () => {
  test('a signature made with the secret names the dialling node; the secret itself is never sent', () => {
    const h = signLink(SECRET, 'node-a', NOW);
    expect(Object.values(h).join(' ')).not.toContain(SECRET);
    expect(verifyLink(SECRET, h, NOW, new NonceLog())).toBe('node-a');
  });

  test('another secret, another node id or a changed timestamp is refused', () => {
    const h = signLink(SECRET, 'node-a', NOW);
    expect(verifyLink(`${SECRET}x`, h, NOW, new NonceLog())).toBeNull();
    expect(verifyLink(SECRET, { ...h, [LINK_HEADERS.node]: 'node-b' }, NOW, new NonceLog())).toBeNull();
    expect(verifyLink(SECRET, { ...h, [LINK_HEADERS.ts]: String(NOW + 1) }, NOW, new NonceLog())).toBeNull();
    expect(verifyLink(SECRET, { ...h, [LINK_HEADERS.sig]: 'ab' }, NOW, new NonceLog())).toBeNull();
    expect(verifyLink('', h, NOW, new NonceLog())).toBeNull();
  });

  test('timestamps are accepted within ±60 s only', () => {
    const w = LINK_AUTH_WINDOW_S;
    expect(verifyLink(SECRET, signLink(SECRET, 'n', NOW - w), NOW, new NonceLog())).toBe('n');
    expect(verifyLink(SECRET, signLink(SECRET, 'n', NOW + w), NOW, new NonceLog())).toBe('n');
    expect(verifyLink(SECRET, signLink(SECRET, 'n', NOW - w - 1), NOW, new NonceLog())).toBeNull();
    expect(verifyLink(SECRET, signLink(SECRET, 'n', NOW + w + 1), NOW, new NonceLog())).toBeNull();
  });

  test('missing headers are refused', () => {
    const h = signLink(SECRET, 'node-a', NOW);
    for (const k of Object.values(LINK_HEADERS)) {
      const partial: Record<string, string> = { ...h };
      delete partial[k];
      expect(verifyLink(SECRET, partial, NOW, new NonceLog())).toBeNull();
    }
    expect(verifyLink(SECRET, {}, NOW, new NonceLog())).toBeNull();
  });

  test('a nonce is good once; old nonces age out and the log stays bounded', () => {
    const log = new NonceLog(2);
    const h = signLink(SECRET, 'n', NOW);
    expect(verifyLink(SECRET, h, NOW, log)).toBe('n');
    expect(verifyLink(SECRET, h, NOW, log)).toBeNull();
    expect(log.take('b', NOW)).toBe(true);
    expect(log.take('c', NOW)).toBe(false); // full
    expect(log.take('c', NOW + 3 * LINK_AUTH_WINDOW_S)).toBe(true); // the old ones aged out
  });
});
