import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { TrustedHub } from '../src/federation/entities/trusted-hub.entity.js';
import { User } from '../src/users/entities/user.entity.js';

let hub: TestHub;
let admin: TestUser;
let alice: TestUser;

beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_ID: 'hub-main' } });
  admin = await registerAdmin(hub);
  alice = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

async function peerJwks() {
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(publicKey);
  return { keys: [{ ...jwk, kid: `k-${randomUUID().slice(0, 8)}`, alg: 'EdDSA', use: 'sig' }] };
}
const trustedCount = () => hub.ds.getRepository(TrustedHub).count();

describe('future hub-to-hub API is registered but disabled', () => {
  const routes: [string, string][] = [
    ['get', '/api/v1/hubs/hub-main/servers'],
    ['get', '/api/v1/hubs/hub-main/users'],
    ['get', '/api/v1/hubs/hub-main/libraries'],
    ['get', '/api/v1/hubs/some-other-hub/servers'],
    ['get', `/api/v1/hubs/${randomUUID()}/users`],
    ['post', '/api/v1/federation/peers'],
  ];
  test.each(routes)('%s %s → 501 federation.not_implemented with a Link, for anyone', async (method, path) => {
    for (const headers of [{}, admin.auth, alice.auth, { Authorization: 'Bearer garbage' }]) {
      const r = await (hub.http() as unknown as Record<string, (p: string) => import('supertest').Test>)
        [method](path)
        .set(headers)
        .send({ url: 'https://evil.example', public_key: 'x' });
      expect(r.status).toBe(501);
      expect(r.body).toEqual({ error: expect.any(String), code: 'federation.not_implemented' });
      expect(r.headers.link).toMatch(/^<[^>]+>; rel="help"$/);
    }
  });

  test('answers reveal nothing: identical for our own hub id, unknown ids and any caller', async () => {
    const a = await hub.http().get('/api/v1/hubs/hub-main/users').set(admin.auth);
    const b = await hub.http().get('/api/v1/hubs/nope/users');
    expect(a.body).toEqual(b.body);
    expect(JSON.stringify(a.body)).not.toContain(alice.username);
  });

  test('OpenAPI marks the stubs deprecated and documents the 501', async () => {
    const r = await hub.http().get('/api/docs-json').expect(200);
    for (const [p, m] of [
      ['/api/v1/hubs/{hubId}/servers', 'get'],
      ['/api/v1/hubs/{hubId}/users', 'get'],
      ['/api/v1/hubs/{hubId}/libraries', 'get'],
      ['/api/v1/federation/peers', 'post'],
    ]) {
      const op = r.body.paths[p][m];
      expect(op.deprecated).toBe(true);
      expect(op.responses['501']).toBeDefined();
      expect(op.description).toMatch(/NOT implemented in v1/);
    }
  });
});

describe('unknown hubs cannot query our users, servers or libraries any other way', () => {
  test('a JWT signed by a foreign key (even naming our issuer and a real user) is refused on user routes', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({ token_use: 'access', username: admin.username, adm: true })
      .setProtectedHeader({ alg: 'EdDSA', kid: decodeProtectedHeader(admin.token).kid as string })
      .setIssuer('hub-main')
      .setAudience('hub')
      .setSubject(admin.id)
      .setIssuedAt(hub.clock.nowSeconds())
      .setExpirationTime(hub.clock.nowSeconds() + 600)
      .setJti(randomUUID())
      .sign(privateKey);
    for (const path of [
      '/api/v1/me',
      '/api/v1/me/servers',
      '/api/v1/me/libraries',
      '/api/v1/me/shares',
      '/api/v1/admin/users',
      '/api/v1/admin/trusted-hubs',
    ]) {
      const r = await hub
        .http()
        .get(path)
        .set({ Authorization: `Bearer ${forged}` });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('auth.invalid_token');
    }
  });

  test('an identity token we minted is not a credential here (wrong audience and token_use)', async () => {
    const t = await hub
      .http()
      .post('/api/v1/me/identity-tokens')
      .set(alice.auth)
      .send({ audience_hub_id: 'hub-elsewhere' })
      .expect(201);
    for (const path of [
      '/api/v1/me',
      '/api/v1/me/servers',
      '/api/v1/me/libraries',
      '/api/v1/me/shares',
      '/api/v1/admin/users',
    ]) {
      const r = await hub
        .http()
        .get(path)
        .set({ Authorization: `Bearer ${t.body.identity_token}` });
      expect(r.status).toBe(401);
    }
  });

  test('a hub cannot link to itself, nor present our own identity token back to us', async () => {
    await hub
      .http()
      .post('/api/v1/admin/trusted-hubs')
      .set(admin.auth)
      .send({ hub_id: 'hub-main', name: 'me', url: 'https://x.example', jwks: await peerJwks() })
      .expect(400);
    const r = await hub
      .http()
      .post('/api/v1/me/identity-tokens')
      .set(alice.auth)
      .send({ audience_hub_id: 'hub-main' })
      .expect(400);
    expect(r.body.code).toBe('federation.invalid_audience');
    for (const aud of ['hub', 'server', 'relay']) {
      expect(
        (await hub.http().post('/api/v1/me/identity-tokens').set(alice.auth).send({ audience_hub_id: aud })).body.code,
      ).toBe('federation.invalid_audience');
    }
  });
});

describe('POST /api/v1/me/identity-tokens', () => {
  test('happy path: EdDSA, ≤ 10 min, one audience, id + username only (no email)', async () => {
    const r = await hub
      .http()
      .post('/api/v1/me/identity-tokens')
      .set(alice.auth)
      .send({ audience_hub_id: 'hub-b' })
      .expect(201);
    expect(r.body).toMatchObject({
      token_type: 'identity',
      issuer_hub_id: 'hub-main',
      audience_hub_id: 'hub-b',
      expires_in: 300,
    });
    const h = decodeProtectedHeader(r.body.identity_token);
    expect(h.alg).toBe('EdDSA');
    expect(typeof h.kid).toBe('string');
    const p = decodeJwt(r.body.identity_token);
    expect(p).toMatchObject({
      iss: 'hub-main',
      aud: 'hub-b',
      sub: alice.id,
      token_use: 'identity',
      username: alice.username,
    });
    expect(p.exp! - p.iat!).toBeLessThanOrEqual(600);
    expect(Object.keys(p).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub', 'token_use', 'username']);
    expect(JSON.stringify(p)).not.toContain('@example.test');
    const r2 = await hub
      .http()
      .post('/api/v1/me/identity-tokens')
      .set(alice.auth)
      .send({ audience_hub_id: 'hub-b' })
      .expect(201);
    expect(decodeJwt(r2.body.identity_token).jti).not.toBe(p.jti);
  });

  test('bad input 400, no token 401, blocked audience 403', async () => {
    for (const body of [
      {},
      { audience_hub_id: '' },
      { audience_hub_id: 'bad hub' },
      { audience_hub_id: 'x'.repeat(129) },
      { audience_hub_id: 'ok', extra: 1 },
    ]) {
      const r = await hub.http().post('/api/v1/me/identity-tokens').set(alice.auth).send(body);
      expect(r.status).toBe(400);
    }
    expect((await hub.http().post('/api/v1/me/identity-tokens').send({ audience_hub_id: 'hub-b' })).status).toBe(401);
    const c = await hub
      .http()
      .post('/api/v1/admin/trusted-hubs')
      .set(admin.auth)
      .send({ hub_id: 'hub-blocked', name: 'B', url: 'https://b.example', jwks: await peerJwks(), blocked: true })
      .expect(201);
    const r = await hub
      .http()
      .post('/api/v1/me/identity-tokens')
      .set(alice.auth)
      .send({ audience_hub_id: 'hub-blocked' })
      .expect(403);
    expect(r.body.code).toBe('federation.peer_blocked');
    await hub.http().delete(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth).expect(204);
  });
});

describe('admin trusted hubs', () => {
  test('POST/GET/PATCH/DELETE happy path; jwks normalised; block and unblock', async () => {
    const jwks = await peerJwks();
    const c = await hub
      .http()
      .post('/api/v1/admin/trusted-hubs')
      .set(admin.auth)
      .send({ hub_id: 'hub-peer', name: 'Peer', url: 'https://peer.example/', jwks: JSON.stringify(jwks) })
      .expect(201);
    expect(c.body).toMatchObject({
      hub_id: 'hub-peer',
      name: 'Peer',
      url: 'https://peer.example',
      blocked: false,
      blocked_at: null,
      linked_users: 0,
      key_ids: [jwks.keys[0].kid],
    });
    expect(c.body.jwks.keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: jwks.keys[0].x,
      kid: jwks.keys[0].kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    const list = await hub.http().get('/api/v1/admin/trusted-hubs').set(admin.auth).expect(200);
    expect(list.body.items.map((i: { hub_id: string }) => i.hub_id)).toContain('hub-peer');
    await hub.http().get(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth).expect(200);
    const b = await hub
      .http()
      .patch(`/api/v1/admin/trusted-hubs/${c.body.id}`)
      .set(admin.auth)
      .send({ blocked: true, name: 'Peer (blocked)' })
      .expect(200);
    expect(b.body).toMatchObject({ blocked: true, name: 'Peer (blocked)' });
    expect(typeof b.body.blocked_at).toBe('string');
    const u = await hub
      .http()
      .patch(`/api/v1/admin/trusted-hubs/${c.body.id}`)
      .set(admin.auth)
      .send({ blocked: false, jwks: await peerJwks() })
      .expect(200);
    expect(u.body.blocked).toBe(false);
    expect(u.body.key_ids).not.toEqual(c.body.key_ids);
    await hub.http().delete(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth).expect(204);
    expect((await hub.http().get(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth)).body.code).toBe(
      'federation.peer_not_found',
    );
    await hub.http().delete(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth).expect(404);
  });

  test('duplicate hub_id 409', async () => {
    const c = await hub
      .http()
      .post('/api/v1/admin/trusted-hubs')
      .set(admin.auth)
      .send({ hub_id: 'hub-dup', name: 'D', url: 'https://d.example', jwks: await peerJwks() })
      .expect(201);
    const r = await hub
      .http()
      .post('/api/v1/admin/trusted-hubs')
      .set(admin.auth)
      .send({ hub_id: 'hub-dup', name: 'D2', url: 'https://d.example', jwks: await peerJwks() })
      .expect(409);
    expect(r.body.code).toBe('federation.peer_exists');
    await hub.http().delete(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth).expect(204);
  });

  test('jwks must be Ed25519 public keys with a kid: everything else is 400 and nothing is written', async () => {
    const good = (await peerJwks()).keys[0];
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const priv = { ...(await exportJWK(privateKey)), kid: 'p' };
    const rsa = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey);
    // a P-256 access-token key is skipped, so a set of only that holds no Ed25519 key
    const p256 = {
      ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)),
      kid: 'e',
      alg: 'ES256',
      use: 'sig',
    };
    const bads: unknown[] = [
      { keys: [p256] },
      undefined,
      null,
      'not json',
      '{}',
      { keys: [] },
      { keys: 'x' },
      [good],
      { keys: [{ ...good, kid: undefined }] },
      { keys: [priv] },
      { keys: [{ ...rsa, kid: 'r' }] },
      { keys: [{ ...good, crv: 'X25519' }] },
      { keys: [{ ...good, alg: 'HS256' }] },
      { keys: [{ ...good, x: 'AAAA' }] },
      { keys: [good, good] },
      { keys: Array.from({ length: 11 }, (_, i) => ({ ...good, kid: `k${i}` })) },
    ];
    const before = await trustedCount();
    for (const jwks of bads) {
      const r = await hub
        .http()
        .post('/api/v1/admin/trusted-hubs')
        .set(admin.auth)
        .send({ hub_id: 'hub-bad', name: 'Bad', url: 'https://bad.example', ...(jwks === undefined ? {} : { jwks }) });
      expect([r.status, r.body.code]).toEqual([
        400,
        jwks == null ? 'request.validation_failed' : 'federation.invalid_jwks',
      ]);
    }
    for (const body of [
      { hub_id: 'bad id!', name: 'x', url: 'https://x.example', jwks: { keys: [good] } },
      { hub_id: 'hub-x', name: '', url: 'https://x.example', jwks: { keys: [good] } },
      { hub_id: 'hub-x', name: 'x', url: 'ftp://x.example', jwks: { keys: [good] } },
      { hub_id: 'hub-x', name: 'x', url: 'https://x.example', jwks: { keys: [good] }, blocked: 'yes' },
      { hub_id: 'hub-x', name: 'x', url: 'https://x.example', jwks: { keys: [good] }, extra: 1 },
    ]) {
      expect((await hub.http().post('/api/v1/admin/trusted-hubs').set(admin.auth).send(body)).status).toBe(400);
    }
    expect(await trustedCount()).toBe(before);
    const c = await hub
      .http()
      .post('/api/v1/admin/trusted-hubs')
      .set(admin.auth)
      .send({ hub_id: 'hub-patch', name: 'P', url: 'https://p.example', jwks: { keys: [good] } })
      .expect(201);
    for (const body of [
      { jwks: { keys: [priv] } },
      { blocked: 'true' },
      { url: 'nope' },
      { hub_id: 'other' },
      { name: '' },
    ]) {
      expect(
        (await hub.http().patch(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth).send(body)).status,
      ).toBe(400);
    }
    const after = await hub.http().get(`/api/v1/admin/trusted-hubs/${c.body.id}`).set(admin.auth).expect(200);
    expect(after.body).toMatchObject({
      hub_id: 'hub-patch',
      name: 'P',
      url: 'https://p.example',
      blocked: false,
      key_ids: [good.kid],
    });
  });

  test('no token 401, non-admin 403, linked account 403, unknown id 404', async () => {
    const id = randomUUID();
    const calls = [
      () => hub.http().get('/api/v1/admin/trusted-hubs'),
      () => hub.http().post('/api/v1/admin/trusted-hubs').send({}),
      () => hub.http().get(`/api/v1/admin/trusted-hubs/${id}`),
      () => hub.http().patch(`/api/v1/admin/trusted-hubs/${id}`).send({ blocked: true }),
      () => hub.http().delete(`/api/v1/admin/trusted-hubs/${id}`),
    ];
    for (const c of calls) expect((await c()).status).toBe(401);
    for (const c of calls) {
      const r = await c().set(alice.auth);
      expect([r.status, r.body.code]).toEqual([403, 'auth.not_admin']);
    }
    expect((await hub.http().get(`/api/v1/admin/trusted-hubs/${id}`).set(admin.auth)).status).toBe(404);
    expect((await hub.http().get('/api/v1/admin/trusted-hubs/not-a-uuid').set(admin.auth)).body.code).toBe(
      'federation.peer_not_found',
    );
    // a linked account flagged is_admin in the database still is no admin
    const repo = hub.ds.getRepository(User);
    await repo.update({ id: alice.id }, { isAdmin: true, linkedHubId: 'hub-ghost', remoteUserId: 'r1' });
    try {
      const r = await hub.http().get('/api/v1/admin/trusted-hubs').set(alice.auth);
      expect(r.status).toBe(403);
    } finally {
      await repo.update({ id: alice.id }, { isAdmin: false, linkedHubId: null, remoteUserId: null });
    }
  });
});
