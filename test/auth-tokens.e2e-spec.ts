import { createHmac, generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { KeysService } from '../src/auth/keys.service.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const GRACE = 120;

let hub: TestHub;
let user: TestUser;
beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_KEY_ROTATION_GRACE: String(GRACE) } });
  user = await registerUser(hub);
});
afterAll(async () => { await hub.close(); });

const me = (token: string) => hub.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
const keyFile = () => join(hub.dataDir, 'keys', 'hub-keys.json');
const storedKeys = () => JSON.parse(readFileSync(keyFile(), 'utf8')).keys as { kid: string; private: Record<string, string>; public: Record<string, string> }[];
const claims = () => {
  const now = Math.floor(hub.clock.now() / 1000);
  // sid: access tokens name their session (the user's live one, read from the token the hub gave it)
  const sid = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString('utf8')).sid as string;
  return { iss: 'hub-test', aud: 'hub', sub: user.id, iat: now, nbf: now - 1, exp: now + 600, jti: 'j1', token_use: 'access', sid };
};
/** Sign with the hub's own current private key, bypassing KeysService (to forge headers/claims). */
async function signWithHubKey(payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const k = storedKeys().find((s) => s.kid === hub.get(KeysService).currentKid())!;
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: k.kid, ...header } as never)
    .sign(createPrivateKey({ key: k.private as never, format: 'jwk' }));
}

async function expect401(token: string) {
  const r = await me(token);
  expect([r.status, r.body.code]).toEqual([401, 'auth.invalid_token']);
}

describe('forged and foreign tokens are refused with 401', () => {
  test('control: a token signed with the hub key and correct claims is accepted', async () => {
    await me(await signWithHubKey(claims())).expect(200);
    await me(user.token).expect(200);
  });

  test('alg none (with and without a signature)', async () => {
    const kid = hub.get(KeysService).currentKid();
    for (const alg of ['none', 'None', 'NONE']) {
      const t = `${b64({ alg, typ: 'JWT', kid })}.${b64(claims())}.`;
      await expect401(t);
      await expect401(t + 'AAAA');
    }
  });

  test('HS256 signed with the public key bytes / JWK / x as the HMAC secret (alg confusion)', async () => {
    const jwk = storedKeys()[0].public;
    const secrets = [Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.x), Buffer.from(JSON.stringify(jwk)), Buffer.from(JSON.stringify((await hub.http().get('/.well-known/jwks.json')).body.keys[0]))];
    for (const alg of ['HS256', 'HS512']) {
      for (const secret of secrets) {
        const head = `${b64({ alg, typ: 'JWT', kid: storedKeys()[0].kid })}.${b64(claims())}`;
        const sig = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', secret).update(head).digest('base64url');
        await expect401(`${head}.${sig}`);
      }
    }
  });

  test('unknown kid, missing kid, a foreign key under our kid', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: 'not-a-kid' }).sign(privateKey));
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(privateKey));
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: hub.get(KeysService).currentKid() }).sign(privateKey));
  });

  test('wrong audience, wrong issuer, wrong token_use, missing jti, future nbf, wrong typ', async () => {
    await expect401(await signWithHubKey({ ...claims(), aud: 'server' }));
    await expect401(await signWithHubKey({ ...claims(), iss: 'other-hub' }));
    await expect401(await signWithHubKey({ ...claims(), token_use: 'enrollment' }));
    const { jti: _j, ...noJti } = claims();
    await expect401(await signWithHubKey(noJti));
    await expect401(await signWithHubKey({ ...claims(), nbf: claims().iat + 3600 }));
    await expect401(await signWithHubKey(claims(), { typ: 'at+jwt' }));
    // tokens the hub itself signs for other audiences are not access tokens
    const keys = hub.get(KeysService);
    await expect401(await keys.sign({ token_use: 'access' }, { audience: 'server', subject: user.id, ttlSeconds: 600 }));
    await expect401(await keys.sign({ token_use: 'enrollment' }, { audience: 'hub', subject: user.id, ttlSeconds: 600 }));
  });

  test('tampered payload or signature', async () => {
    const [h, p, s] = user.token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    await expect401(`${h}.${b64({ ...payload, sub: '00000000-0000-4000-8000-000000000000' })}.${s}`);
    await expect401(`${h}.${p}.${s.slice(0, -4)}AAAA`);
    await expect401(`${h}.${p}`);
  });

  test('expired (fake clock past exp) → 401', async () => {
    const t = await signWithHubKey(claims());
    const t0 = hub.clock.now();
    hub.clock.advance((hub.cfg.accessTtl + 60) * 1000);
    try {
      await expect401(user.token);
      await expect401(t);
    } finally {
      hub.clock.set(t0);
    }
    await me(user.token).expect(200);
  });
});

describe('signing keys', () => {
  test('key file is mode 0600 in a 0700 directory; kid = base64url(sha256(x))', async () => {
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(statSync(join(hub.dataDir, 'keys')).mode & 0o777).toBe(0o700);
    const { createHash } = await import('node:crypto');
    for (const k of storedKeys()) expect(k.kid).toBe(createHash('sha256').update(Buffer.from(k.public.x, 'base64url')).digest('base64url'));
  });

  test('keys:rotate keeps the old key published and verifying for the grace period, then drops it', async () => {
    const keys = hub.get(KeysService);
    const oldKid = keys.currentKid();
    const oldToken = (await hub.http().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200)).body.access_token;
    const newKid = await keys.rotate();
    expect(newKid).not.toBe(oldKid);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const jwks = (await hub.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid]);
    // old tokens still verify (API and JWKS); new tokens carry the new kid
    await me(oldToken).expect(200);
    await jwtVerify(oldToken, createLocalJWKSet(jwks), { currentDate: new Date(hub.clock.now()) });
    const fresh = (await hub.http().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200)).body.access_token;
    const { protectedHeader } = await jwtVerify(fresh, createLocalJWKSet(jwks), { currentDate: new Date(hub.clock.now()) });
    expect(protectedHeader.kid).toBe(newKid);
    // after the grace period (but before the token's own expiry) the old key is gone
    hub.clock.advance((GRACE + 1) * 1000);
    expect(GRACE + 1).toBeLessThan(hub.cfg.accessTtl);
    await expect401(oldToken);
    const later = (await hub.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(later.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid]);
    await me(fresh).expect(200);
  });

  test('keys survive a restart: same kid, earlier tokens still verify', async () => {
    const h1 = await createTestHub({ keep: true });
    let h2: TestHub | undefined;
    try {
      const u = await registerUser(h1);
      const kid = h1.get(KeysService).currentKid();
      await h1.close();
      h2 = await createTestHub({ dataDir: h1.dataDir, dbUrl: h1.dbUrl, cleanup: true });
      expect(h2.get(KeysService).currentKid()).toBe(kid);
      await h2.http().get('/api/v1/me').set(u.auth).expect(200);
    } finally {
      await h2?.close();
    }
  });

  test('JWKS answers with cache headers and no private material', async () => {
    const r = await hub.http().get('/.well-known/jwks.json').expect(200);
    expect(r.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(JSON.stringify(r.body)).not.toMatch(/"d"/);
  });
});
