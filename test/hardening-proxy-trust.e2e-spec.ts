import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createTestHub, TestHub } from './helpers/hub.js';
import { loadConfig, ConfigError } from '../src/config/config.js';
import { resolveClientIp } from '../src/common/client-ip.js';

/**
 * HUB_TRUST_PROXY: the client address is the one our proxy appended to X-Forwarded-For (the nearest
 * untrusted hop), never the leftmost entry, which the client writes itself.
 */

const register = (hub: TestHub, xff: string) => {
  const username = `xff_${randomBytes(4).toString('hex')}`;
  return hub
    .http()
    .post('/api/v1/auth/register')
    .set('X-Forwarded-For', xff)
    .send({ username, email: `${username}@example.test`, password: 'correct horse battery' });
};
const auditIps = async (hub: TestHub, action: string): Promise<string[]> =>
  (
    (await hub.ds.query('SELECT ip FROM audit_logs WHERE action = ? ORDER BY at, id', [action])) as { ip: string }[]
  ).map((r) => r.ip);

describe.each([
  // [HUB_TRUST_PROXY, X-Forwarded-For as our proxy forwards it (client-written part first), expected client]
  ['true', '6.6.6.6, 203.0.113.7', '203.0.113.7'],
  ['1', '6.6.6.6, 1.2.3.4, 203.0.113.7', '203.0.113.7'],
  ['2', '6.6.6.6, 198.51.100.9, 10.0.0.2', '198.51.100.9'],
  ['127.0.0.1/8, 10.0.0.0/8, ::1', '6.6.6.6, 198.51.100.9, 10.1.2.3, 10.9.9.9', '198.51.100.9'],
])('HUB_TRUST_PROXY=%s', (trust, xff, client) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ listen: true, env: { HUB_TRUST_PROXY: trust, HUB_SIGNUP_RATE_LIMIT: '2' } });
  });
  afterAll(async () => {
    await hub.close();
  });

  test('a spoofed leftmost X-Forwarded-For entry is neither the audit ip nor the rate-limit key', async () => {
    await register(hub, xff).expect(201);
    expect(await auditIps(hub, 'auth.register')).toEqual([client]);
    // the client rotates the entry it controls: still one client for the per-IP sign-up limit
    await register(hub, xff.replace('6.6.6.6', '7.7.7.7')).expect(201);
    const third = await register(hub, xff.replace('6.6.6.6', '8.8.8.8'));
    expect([third.status, third.body.code]).toEqual([429, 'auth.rate_limited']);
    const keys = ((await hub.ds.query("SELECT k FROM rate_limits WHERE k LIKE 'signup:ip:%'")) as { k: string }[]).map(
      (r) => r.k,
    );
    expect(keys).toEqual([`signup:ip:${client}`]);
  });

  test('the tunnel endpoint on the main port keys its connect limit on the same client address', async () => {
    const port = (hub.server.address() as { port: number }).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/relay/tunnel`, { headers: { 'X-Forwarded-For': xff } });
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    ws.close();
    const keys = (
      (await hub.ds.query("SELECT k FROM rate_limits WHERE k LIKE 'relay_connect:%'")) as { k: string }[]
    ).map((r) => r.k);
    expect(keys).toEqual([`relay_connect:${client}`]);
  });
});

describe('HUB_TRUST_PROXY=false (the default)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  test('X-Forwarded-For is ignored: the socket address counts', async () => {
    await register(hub, '6.6.6.6').expect(201);
    expect((await auditIps(hub, 'auth.register'))[0]).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});

describe('HUB_TRUST_PROXY parsing and the walk', () => {
  test('true is one hop (backward compatible); numbers are hop counts; lists are proxy addresses', () => {
    expect(loadConfig({ HUB_TRUST_PROXY: 'true' })).toMatchObject({
      http: { trustProxy: true, trustProxyHops: 1, trustProxyAddrs: [] },
    });
    expect(loadConfig({ HUB_TRUST_PROXY: '3' })).toMatchObject({ http: { trustProxy: true, trustProxyHops: 3 } });
    expect(loadConfig({ HUB_TRUST_PROXY: '0' })).toMatchObject({ http: { trustProxy: false, trustProxyHops: 0 } });
    expect(loadConfig({ HUB_TRUST_PROXY: 'off' })).toMatchObject({ http: { trustProxy: false, trustProxyHops: 0 } });
    expect(loadConfig({ HUB_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,fd00::/8' })).toMatchObject({
      http: { trustProxy: true, trustProxyHops: 0, trustProxyAddrs: ['10.0.0.1', '192.168.0.0/16', 'fd00::/8'] },
    });
    for (const bad of ['maybe', '10.0.0.0/33', '10.0.0.1/8/2', '33', 'fd00::/129', ',']) {
      expect(() => loadConfig({ HUB_TRUST_PROXY: bad })).toThrow(ConfigError);
    }
  });

  test('resolveClientIp takes the nearest untrusted hop', () => {
    const one = { hops: 1, addrs: [] };
    expect(resolveClientIp('127.0.0.1', '6.6.6.6, 203.0.113.7', one)).toBe('203.0.113.7');
    expect(resolveClientIp('::ffff:127.0.0.1', undefined, one)).toBe('127.0.0.1');
    expect(resolveClientIp('127.0.0.1', ['6.6.6.6', '203.0.113.7'], one)).toBe('203.0.113.7');
    expect(resolveClientIp('127.0.0.1', '6.6.6.6', { hops: 0, addrs: [] })).toBe('127.0.0.1');
    const list = { hops: 0, addrs: ['127.0.0.1', '10.0.0.0/8'] };
    expect(resolveClientIp('127.0.0.1', '6.6.6.6, 10.0.0.5', list)).toBe('6.6.6.6'); // all hops trusted but the client's own
    expect(resolveClientIp('198.51.100.1', '6.6.6.6', list)).toBe('198.51.100.1'); // not from our proxy: XFF ignored
  });
});
