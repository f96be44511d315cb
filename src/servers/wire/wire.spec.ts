import { generateKeyPairSync } from 'node:crypto';
import { jwkThumbprint, parseClaimRequest, parseServerKeys, compareVersions } from './claim-request.js';
import { libraryHash, parseHeartbeat } from './heartbeat.js';
import { normalizeClaimCode, newClaimCode } from '../claims.service.js';

const x = (generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }).x;

describe('claim codes', () => {
  test('new codes use the 32-symbol alphabet in two groups of four', () => {
    for (let i = 0; i < 200; i++) expect(newClaimCode()).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  });
  test('normalisation is case- and separator-insensitive and refuses 0/O/I/1', () => {
    expect(normalizeClaimCode('abcd-efgh')).toBe('ABCD-EFGH');
    expect(normalizeClaimCode(' abcd efgh ')).toBe('ABCD-EFGH');
    expect(normalizeClaimCode('ABCDEFGH')).toBe('ABCD-EFGH');
    expect(normalizeClaimCode('ABCD-1234')).toBeNull();
    expect(normalizeClaimCode('ABCD-EFG')).toBeNull();
    expect(normalizeClaimCode('ABCD-EFGHJ')).toBeNull();
  });
});

describe('server keys', () => {
  test('JWKS, single JWK and list give the same identity', () => {
    const a = parseServerKeys({ keys: [{ kty: 'OKP', crv: 'Ed25519', x }] });
    const b = parseServerKeys({ kty: 'OKP', crv: 'Ed25519', x, use: 'sig', alg: 'EdDSA' });
    const c = parseServerKeys([{ kty: 'OKP', crv: 'Ed25519', x, kid: 'k1' }]);
    expect(jwkThumbprint(a.keys[0])).toBe(jwkThumbprint(b.keys[0]));
    expect(jwkThumbprint(c.keys[0])).toBe(jwkThumbprint(a.keys[0]));
  });
  test('RFC 7638 thumbprint of the RFC 8037 example key', () => {
    // RFC 8037 A.3: thumbprint kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k (base64url of the SHA-256)
    const t = jwkThumbprint({ x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
    expect(Buffer.from(t, 'hex').toString('base64url')).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });
  test('anything else is server.key_invalid', () => {
    for (const bad of [
      null,
      'x',
      {},
      { keys: [] },
      { kty: 'RSA' },
      { kty: 'OKP', crv: 'Ed448', x },
      { kty: 'OKP', crv: 'Ed25519', x: x.slice(1) },
      { kty: 'OKP', crv: 'Ed25519', x, d: x },
    ]) {
      expect(() => parseServerKeys(bad)).toThrow(expect.objectContaining({ code: 'server.key_invalid' }));
    }
  });
  test('claim request: camelCase wins over snake_case; protocolVersion must be v1', () => {
    const r = parseClaimRequest({
      serverName: 'A',
      server_name: 'B',
      version: '1',
      public_keys: { kty: 'OKP', crv: 'Ed25519', x },
    });
    expect(r.serverName).toBe('A');
    expect(() =>
      parseClaimRequest({
        serverName: 'A',
        version: '1',
        publicKeysJwk: { keys: [{ kty: 'OKP', crv: 'Ed25519', x }] },
        protocolVersion: 'v2',
      }),
    ).toThrow(expect.objectContaining({ code: 'hub.protocol_unsupported' }));
  });
  test('version compare', () => {
    expect(compareVersions('0.45.0', '0.11.0')).toBe(1);
    expect(compareVersions('0.9.4', '0.11.0')).toBe(-1);
    expect(compareVersions('1', '1.0.0')).toBe(0);
    expect(compareVersions('dev', '1.0.0')).toBeNull();
  });
});

describe('heartbeat', () => {
  const base = { version: '1', uptimeSeconds: 1, activeSessions: 0, activeTranscodes: 0 };
  test('lenient libraries: bad entries dropped, both spellings, duplicates once', () => {
    const h = parseHeartbeat({
      ...base,
      libraries: [
        1,
        null,
        [],
        { library_id: '', library_name: 'x' },
        { library_id: 'a', library_name: 'A' },
        { id: 'b', name: 'B' },
        { library_id: 'a', library_name: 'again' },
      ],
    });
    expect(h.libraries).toEqual([
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ]);
  });
  test('absent libraries stay undefined (keep the list); an object of hostnames uses its values', () => {
    const h = parseHeartbeat({ ...base, hostnameCandidates: { a: 'h1', b: 'h2' } });
    expect(h.libraries).toBeUndefined();
    expect(h.hostnameCandidates).toEqual(['h1', 'h2']);
  });
  test('the library hash ignores order', () => {
    expect(
      libraryHash([
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ]),
    ).toBe(
      libraryHash([
        { id: 'b', name: 'B' },
        { id: 'a', name: 'A' },
      ]),
    );
    expect(libraryHash([{ id: 'a', name: 'A' }])).not.toBe(libraryHash([{ id: 'a', name: 'A2' }]));
  });
});
