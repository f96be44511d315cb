import { createHmac, generateKeyPairSync, createPrivateKey, createPublicKey } from 'node:crypto';
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
afterAll(async () => {
  await hub.close();
});

const me = (token: string) => hub.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
const keyFile = () => join(hub.dataDir, 'keys', 'hub-keys.json');
const storedKeys = () =>
  JSON.parse(readFileSync(keyFile(), 'utf8')).keys as {
    kid: string;
    private: Record<string, string>;
    public: Record<string, string>;
  }[];
const storedKey = (kid: string) => storedKeys().find((s) => s.kid === kid)!;
const claims = () => {
  const now = Math.floor(hub.clock.now() / 1000);
  // sid: access tokens name their session (the user's live one, read from the token the hub gave it)
  const sid = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString('utf8')).sid as string;
  return {
    iss: 'hub-test',
    aud: 'hub',
    sub: user.id,
    iat: now,
    nbf: now - 1,
    exp: now + 600,
    jti: 'j1',
    token_use: 'access',
    sid,
  };
};
/** Sign with the hub's own current P-256 (access-token) key, bypassing KeysService (to forge headers/claims). */
async function signWithHubKey(payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const k = storedKey(hub.get(KeysService).currentAccessKid());
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: k.kid, ...header } as never)
    .sign(createPrivateKey({ key: k.private as never, format: 'jwk' }));
}
/** Sign with the hub's own current Ed25519 key (the one for enrollment and identity tokens). */
async function signWithHubEdKey(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
  keyKid = hub.get(KeysService).currentKid(),
) {
  const k = storedKey(keyKid);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: k.kid, ...header } as never)
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
    for (const kid of [hub.get(KeysService).currentKid(), hub.get(KeysService).currentAccessKid()]) {
      for (const alg of ['none', 'None', 'NONE']) {
        const t = `${b64({ alg, typ: 'JWT', kid })}.${b64(claims())}.`;
        await expect401(t);
        await expect401(t + 'AAAA');
      }
    }
  });

  test('HS256 signed with the public key bytes / JWK / x as the HMAC secret (alg confusion)', async () => {
    const published = (await hub.http().get('/.well-known/jwks.json')).body.keys as Record<string, string>[];
    for (const stored of storedKeys()) {
      const jwk = stored.public;
      const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
      const secrets = [
        Buffer.from(jwk.x, 'base64url'),
        Buffer.from(jwk.x),
        Buffer.from(JSON.stringify(jwk)),
        Buffer.from(pem),
        ...published.map((p) => Buffer.from(JSON.stringify(p))),
      ];
      for (const alg of ['HS256', 'HS512']) {
        for (const secret of secrets) {
          const head = `${b64({ alg, typ: 'JWT', kid: stored.kid })}.${b64(claims())}`;
          const sig = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', secret)
            .update(head)
            .digest('base64url');
          await expect401(`${head}.${sig}`);
        }
      }
    }
  });

  test("an EdDSA token signed by the hub's own Ed25519 key is not an access token (alg pinned to ES256)", async () => {
    const keys = hub.get(KeysService);
    await expect401(await signWithHubEdKey(claims()));
    // the Ed25519 key's kid, or the P-256 kid with alg EdDSA: refused either way
    await expect401(await signWithHubEdKey(claims(), { kid: keys.currentAccessKid() }));
    // and what KeysService.sign makes (EdDSA) with access-token claims is refused too
    await expect401(
      await keys.sign(
        { token_use: 'access', sid: claims().sid },
        { audience: 'hub', subject: user.id, ttlSeconds: 600 },
      ),
    );
    // an ES256 token is not an enrollment token either: the server side stays EdDSA-only
    await expect(
      keys.verify(await signWithHubKey(claims()), { audience: 'hub', tokenUse: 'access' }),
    ).rejects.toMatchObject({ code: 'auth.invalid_token' });
  });

  test('ES256 tokens signed by a foreign P-256 key: under our kid, an unknown kid, no kid; ES384/RS256 refused', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = hub.get(KeysService).currentAccessKid();
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(privateKey));
    await expect401(
      await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'not-a-kid' }).sign(privateKey),
    );
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(privateKey));
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid }).sign(p384));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(rsa));
  });

  test('a genuine access token of another hub (same HUB_ID, its own keys) is refused; each hub verifies with its own keys', async () => {
    const other = await createTestHub();
    try {
      const stranger = await registerUser(other);
      await other.http().get('/api/v1/me').set(stranger.auth).expect(200);
      await expect401(stranger.token);
      // a token naming our user and session, signed by the other hub's access key (a shared, process-wide
      // strategy would pick up the hub started last and accept it)
      const forged = await other
        .get(KeysService)
        .signAccess(
          { token_use: 'access', username: user.username, sid: claims().sid },
          { audience: 'hub', subject: user.id, ttlSeconds: 600 },
        );
      await expect401(forged);
      // and the other way round: both hubs live in this process, neither uses the other's strategy
      expect((await other.http().get('/api/v1/me').set(user.auth)).status).toBe(401);
      await me(user.token).expect(200);
    } finally {
      await other.close();
    }
  });

  test('unknown kid, missing kid, a foreign key under our kid', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    await expect401(
      await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: 'not-a-kid' }).sign(privateKey),
    );
    await expect401(await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(privateKey));
    await expect401(
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: hub.get(KeysService).currentKid() })
        .sign(privateKey),
    );
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
    await expect401(
      await keys.sign({ token_use: 'access' }, { audience: 'server', subject: user.id, ttlSeconds: 600 }),
    );
    await expect401(
      await keys.sign({ token_use: 'enrollment' }, { audience: 'hub', subject: user.id, ttlSeconds: 600 }),
    );
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
    hub.clock.advance((hub.cfg.auth.accessTtlSeconds + 60) * 1000);
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
    const raw = (k: Record<string, string>) =>
      k.kty === 'EC'
        ? Buffer.concat([Buffer.from([4]), Buffer.from(k.x, 'base64url'), Buffer.from(k.y, 'base64url')])
        : Buffer.from(k.x, 'base64url');
    for (const k of storedKeys()) expect(k.kid).toBe(createHash('sha256').update(raw(k.public)).digest('base64url'));
    expect(
      storedKeys()
        .map((k) => `${k.public.kty}/${k.public.crv}`)
        .sort(),
    ).toEqual(['EC/P-256', 'OKP/Ed25519']);
  });

  test('keys:rotate keeps the old key published and verifying for the grace period, then drops it', async () => {
    const keys = hub.get(KeysService);
    const oldKid = keys.currentKid();
    const oldAccessKid = keys.currentAccessKid();
    const oldToken = (
      await hub.http().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200)
    ).body.access_token;
    const newKid = await keys.rotate();
    const newAccessKid = keys.currentAccessKid();
    expect(newKid).not.toBe(oldKid);
    expect(newAccessKid).not.toBe(oldAccessKid);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const jwks = (await hub.http().get('/.well-known/jwks.json').expect(200)).body;
    // both kinds rotate: Ed25519 (current, retired), then P-256 (current, retired)
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid, newAccessKid, oldAccessKid]);
    expect(jwks.keys.map((k: { alg: string }) => k.alg)).toEqual(['EdDSA', 'EdDSA', 'ES256', 'ES256']);
    // an enrollment-style token of the retired Ed25519 key still verifies inside the grace
    const oldEd = await signWithHubEdKey({ ...claims(), aud: 'server', token_use: 'enrollment' }, {}, oldKid);
    // old tokens still verify (API and JWKS); new tokens carry the new kid
    await me(oldToken).expect(200);
    await jwtVerify(oldToken, createLocalJWKSet(jwks), { currentDate: new Date(hub.clock.now()) });
    const fresh = (
      await hub.http().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200)
    ).body.access_token;
    const { protectedHeader } = await jwtVerify(fresh, createLocalJWKSet(jwks), {
      currentDate: new Date(hub.clock.now()),
    });
    expect(protectedHeader.kid).toBe(newAccessKid);
    await expect(keys.verify(oldEd, { audience: 'server', tokenUse: 'enrollment' })).resolves.toMatchObject({
      sub: user.id,
    });
    // after the grace period (but before the token's own expiry) the old key is gone
    hub.clock.advance((GRACE + 1) * 1000);
    expect(GRACE + 1).toBeLessThan(hub.cfg.auth.accessTtlSeconds);
    await expect401(oldToken);
    await expect(keys.verify(oldEd, { audience: 'server', tokenUse: 'enrollment' })).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    const later = (await hub.http().get('/.well-known/jwks.json').expect(200)).body;
    expect(later.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, newAccessKid]);
    await me(fresh).expect(200);
  });

  test('keys survive a restart: same kid, earlier tokens still verify', async () => {
    const h1 = await createTestHub({ keep: true });
    let h2: TestHub | undefined;
    try {
      const u = await registerUser(h1);
      const kid = h1.get(KeysService).currentKid();
      const accessKid = h1.get(KeysService).currentAccessKid();
      await h1.close();
      h2 = await createTestHub({ dataDir: h1.dataDir, dbUrl: h1.dbUrl, cleanup: true });
      expect(h2.get(KeysService).currentKid()).toBe(kid);
      expect(h2.get(KeysService).currentAccessKid()).toBe(accessKid);
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
