import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock.js';
import { loadConfig } from '../config/config.js';
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { KeysService, RELOAD_CHECK_MS } from './keys.service.js';

describe('KeysService', () => {
  let dir: string;
  let clock: FakeClock;
  const make = async (env: Record<string, string> = {}) => {
    const k = new KeysService(loadConfig({ HUB_DATA_DIR: dir, HUB_ID: 'unit-hub', ...env }), clock);
    await k.onModuleInit();
    return k;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'phlix-keys-'));
    clock = new FakeClock();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('creates one key on first start (0600), and reuses it afterwards', async () => {
    const a = await make();
    expect(statSync(join(dir, 'keys', 'hub-keys.json')).mode & 0o777).toBe(0o600);
    const b = await make();
    expect(b.currentKid()).toBe(a.currentKid());
    expect(a.jwks().keys).toHaveLength(1);
  });

  test('sign → verify round trip with audience, token_use, subject, jti', async () => {
    const k = await make();
    const t = await k.sign({ token_use: 'access' }, { audience: 'hub', subject: 'u1', ttlSeconds: 60, jti: 'j1' });
    await expect(k.verify(t, { audience: 'hub', tokenUse: 'access' })).resolves.toMatchObject({ sub: 'u1', jti: 'j1', iss: 'unit-hub' });
    await expect(k.verify(t, { audience: 'server' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
    await expect(k.verify(t, { audience: 'hub', tokenUse: 'enrollment' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
  });

  test('expiry uses the injected clock and the caller-chosen code', async () => {
    const k = await make();
    const t = await k.sign({}, { audience: 'server', subject: 's1', ttlSeconds: 60 });
    clock.advance(66_000);
    await expect(k.verify(t, { audience: 'server', expiredCode: 'auth.enrollment_expired' })).rejects.toMatchObject({ code: 'auth.enrollment_expired' });
    await expect(k.verify(t, { audience: 'server' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
  });

  test('rotation: a second process sees the new key at once (verify of an unknown kid reloads)', async () => {
    const server = await make({ HUB_KEY_ROTATION_GRACE: '60' });
    const cli = await make({ HUB_KEY_ROTATION_GRACE: '60' });
    const old = await server.sign({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    const kid = await cli.rotate();
    const fresh = await cli.sign({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    await expect(server.verify(fresh, { audience: 'hub' })).resolves.toMatchObject({ sub: 'u' });
    await expect(server.verify(old, { audience: 'hub' })).resolves.toMatchObject({ sub: 'u' });
    expect(server.jwks().keys[0].kid).toBe(kid);
    clock.advance(61_000);
    await expect(server.verify(old, { audience: 'hub' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
    expect(server.jwks().keys.map((x) => x.kid)).toEqual([kid]);
  });

  test('a key retired by another process is refused within about a second, though its kid was already known here', async () => {
    const server = await make({ HUB_KEY_ROTATION_GRACE: '0' });
    const cli = await make({ HUB_KEY_ROTATION_GRACE: '0' });
    const old = await server.sign({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    await expect(server.verify(old, { audience: 'hub' })).resolves.toMatchObject({ sub: 'u' });
    await cli.rotate();
    await new Promise((r) => setTimeout(r, RELOAD_CHECK_MS + 100));
    await expect(server.verify(old, { audience: 'hub' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
  });

  test('a token signed by our own key but without exp is refused', async () => {
    const k = await make();
    const stored = JSON.parse(readFileSync(join(dir, 'keys', 'hub-keys.json'), 'utf8')).keys[0];
    const key = createPrivateKey({ key: stored.private, format: 'jwk' });
    const now = Math.floor(clock.now() / 1000);
    const forever = await new SignJWT({ token_use: 'access' }).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: stored.kid })
      .setIssuer('unit-hub').setAudience('hub').setSubject('u1').setIssuedAt(now).setJti('j1').sign(key);
    await expect(k.verify(forever, { audience: 'hub', tokenUse: 'access' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
    const withExp = await new SignJWT({ token_use: 'access' }).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: stored.kid })
      .setIssuer('unit-hub').setAudience('hub').setSubject('u1').setIssuedAt(now).setExpirationTime(now + 60).setJti('j1').sign(key);
    await expect(k.verify(withExp, { audience: 'hub', tokenUse: 'access' })).resolves.toMatchObject({ sub: 'u1' });
  });

  test('refuses to start on a key file that does not hold valid keys', async () => {
    await make();
    writeFileSync(join(dir, 'keys', 'hub-keys.json'), JSON.stringify({ keys: [{ kid: 'x', public: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }, private: {} }] }));
    await expect(make()).rejects.toThrow(/not a valid Ed25519 key/);
  });
});
