import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock.js';
import { loadConfig } from '../config/config.js';
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
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

  test('creates one key of each kind on first start (0600), and reuses them afterwards', async () => {
    const a = await make();
    expect(statSync(join(dir, 'keys', 'hub-keys.json')).mode & 0o777).toBe(0o600);
    const b = await make();
    expect(b.currentKid()).toBe(a.currentKid());
    expect(b.currentAccessKid()).toBe(a.currentAccessKid());
    expect(a.jwks().keys.map((k) => [k.kty, k.crv, k.alg, k.kid])).toEqual([
      ['OKP', 'Ed25519', 'EdDSA', a.currentKid()],
      ['EC', 'P-256', 'ES256', a.currentAccessKid()],
    ]);
  });

  test('a key file from before ES256 access tokens gains a P-256 key at start-up; the Ed25519 key stays', async () => {
    const a = await make();
    const file = join(dir, 'keys', 'hub-keys.json');
    const ed = JSON.parse(readFileSync(file, 'utf8')).keys.filter(
      (k: { public: { kty: string } }) => k.public.kty === 'OKP',
    );
    writeFileSync(file, JSON.stringify({ keys: ed }), { mode: 0o644 });
    const b = await make();
    expect(b.currentKid()).toBe(a.currentKid());
    const stored = JSON.parse(readFileSync(file, 'utf8')).keys;
    expect(stored.map((k: { public: { kty: string } }) => k.public.kty)).toEqual(['OKP', 'EC']);
    expect(stored[1].kid).toBe(b.currentAccessKid());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const t = await b.signAccess({ token_use: 'access' }, { audience: 'hub', subject: 'u1', ttlSeconds: 60 });
    expect(b.accessKeyFor(t).asymmetricKeyType).toBe('ec');
    // a second process starting on the upgraded file uses that key; the upgrade lock is gone
    const c = await make();
    expect(c.currentAccessKid()).toBe(b.currentAccessKid());
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  test('access tokens are ES256 under the P-256 kid; accessKeyFor takes only those, verify only EdDSA', async () => {
    const k = await make();
    const access = await k.signAccess({ token_use: 'access' }, { audience: 'hub', subject: 'u1', ttlSeconds: 60 });
    const ed = await k.sign({ token_use: 'access' }, { audience: 'hub', subject: 'u1', ttlSeconds: 60 });
    expect(decodeProtectedHeader(access)).toMatchObject({ alg: 'ES256', kid: k.currentAccessKid() });
    expect(decodeProtectedHeader(ed)).toMatchObject({ alg: 'EdDSA', kid: k.currentKid() });
    expect(() => k.accessKeyFor(ed)).toThrow(expect.objectContaining({ code: 'auth.invalid_token' }));
    await expect(k.verify(access, { audience: 'hub', tokenUse: 'access' })).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    // an ES256 header naming the Ed25519 kid finds no key
    const [, p, sig] = access.split('.');
    const h = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: k.currentKid() })).toString('base64url');
    expect(() => k.accessKeyFor(`${h}.${p}.${sig}`)).toThrow(expect.objectContaining({ code: 'auth.invalid_token' }));
  });

  test('sign → verify round trip with audience, token_use, subject, jti', async () => {
    const k = await make();
    const t = await k.sign({ token_use: 'access' }, { audience: 'hub', subject: 'u1', ttlSeconds: 60, jti: 'j1' });
    await expect(k.verify(t, { audience: 'hub', tokenUse: 'access' })).resolves.toMatchObject({
      sub: 'u1',
      jti: 'j1',
      iss: 'unit-hub',
    });
    await expect(k.verify(t, { audience: 'server' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
    await expect(k.verify(t, { audience: 'hub', tokenUse: 'enrollment' })).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
  });

  test('expiry uses the injected clock and the caller-chosen code', async () => {
    const k = await make();
    const t = await k.sign({}, { audience: 'server', subject: 's1', ttlSeconds: 60 });
    clock.advance(66_000);
    await expect(k.verify(t, { audience: 'server', expiredCode: 'auth.enrollment_expired' })).rejects.toMatchObject({
      code: 'auth.enrollment_expired',
    });
    await expect(k.verify(t, { audience: 'server' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
  });

  test('rotation: a second process sees the new key at once (verify of an unknown kid reloads)', async () => {
    const server = await make({ HUB_KEY_ROTATION_GRACE: '60' });
    const cli = await make({ HUB_KEY_ROTATION_GRACE: '60' });
    const old = await server.sign({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    const oldAccessKid = server.currentAccessKid();
    const oldAccess = await server.signAccess({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    const kid = await cli.rotate();
    const fresh = await cli.sign({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    await expect(server.verify(fresh, { audience: 'hub' })).resolves.toMatchObject({ sub: 'u' });
    await expect(server.verify(old, { audience: 'hub' })).resolves.toMatchObject({ sub: 'u' });
    expect(server.jwks().keys[0].kid).toBe(kid);
    // the P-256 access key rotated with it: the new one is known here at once, the old one still verifies
    const freshAccess = await cli.signAccess({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    expect(cli.currentAccessKid()).not.toBe(oldAccessKid);
    expect(() => server.accessKeyFor(freshAccess)).not.toThrow();
    expect(() => server.accessKeyFor(oldAccess)).not.toThrow();
    expect(server.jwks().keys.map((x) => x.alg)).toEqual(['EdDSA', 'EdDSA', 'ES256', 'ES256']);
    clock.advance(61_000);
    await expect(server.verify(old, { audience: 'hub' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
    expect(() => server.accessKeyFor(oldAccess)).toThrow(expect.objectContaining({ code: 'auth.invalid_token' }));
    expect(server.jwks().keys.map((x) => x.kid)).toEqual([kid, cli.currentAccessKid()]);
  });

  test('a key retired by another process is refused within about a second, though its kid was already known here', async () => {
    const server = await make({ HUB_KEY_ROTATION_GRACE: '0' });
    const cli = await make({ HUB_KEY_ROTATION_GRACE: '0' });
    const old = await server.sign({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    await expect(server.verify(old, { audience: 'hub' })).resolves.toMatchObject({ sub: 'u' });
    const oldAccess = await server.signAccess({}, { audience: 'hub', subject: 'u', ttlSeconds: 600 });
    expect(() => server.accessKeyFor(oldAccess)).not.toThrow();
    await cli.rotate();
    await new Promise((r) => setTimeout(r, RELOAD_CHECK_MS + 100));
    await expect(server.verify(old, { audience: 'hub' })).rejects.toMatchObject({ code: 'auth.invalid_token' });
    expect(() => server.accessKeyFor(oldAccess)).toThrow(expect.objectContaining({ code: 'auth.invalid_token' }));
  });

  test('a token signed by our own key but without exp is refused', async () => {
    const k = await make();
    const stored = JSON.parse(readFileSync(join(dir, 'keys', 'hub-keys.json'), 'utf8')).keys[0];
    const key = createPrivateKey({ key: stored.private, format: 'jwk' });
    const now = Math.floor(clock.now() / 1000);
    const forever = await new SignJWT({ token_use: 'access' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: stored.kid })
      .setIssuer('unit-hub')
      .setAudience('hub')
      .setSubject('u1')
      .setIssuedAt(now)
      .setJti('j1')
      .sign(key);
    await expect(k.verify(forever, { audience: 'hub', tokenUse: 'access' })).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    const withExp = await new SignJWT({ token_use: 'access' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: stored.kid })
      .setIssuer('unit-hub')
      .setAudience('hub')
      .setSubject('u1')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti('j1')
      .sign(key);
    await expect(k.verify(withExp, { audience: 'hub', tokenUse: 'access' })).resolves.toMatchObject({ sub: 'u1' });
  });

  test('refuses to start on a key file that does not hold valid keys', async () => {
    await make();
    writeFileSync(
      join(dir, 'keys', 'hub-keys.json'),
      JSON.stringify({ keys: [{ kid: 'x', public: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }, private: {} }] }),
    );
    await expect(make()).rejects.toThrow(/not a valid Ed25519 key/);
    const good = await (async () => {
      rmSync(join(dir, 'keys'), { recursive: true });
      await make();
      return JSON.parse(readFileSync(join(dir, 'keys', 'hub-keys.json'), 'utf8')).keys;
    })();
    const ec = good.find((k: { public: { kty: string } }) => k.public.kty === 'EC');
    writeFileSync(
      join(dir, 'keys', 'hub-keys.json'),
      JSON.stringify({ keys: [good[0], { ...ec, public: { ...ec.public, y: ec.public.x } }] }),
    );
    await expect(make()).rejects.toThrow(/not a valid P-256 key/);
  });
});
