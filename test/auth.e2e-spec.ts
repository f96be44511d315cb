import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { RefreshToken } from '../src/auth/entities/refresh-token.entity.js';
import { User } from '../src/users/entities/user.entity.js';
import { HubSettings } from '../src/common/hub-settings.service.js';
import { UsersService } from '../src/users/users.service.js';
import { AuditLog } from '../src/audit/entities/audit-log.entity.js';

let hub: TestHub;
let admin: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const users = () => hub.ds.getRepository(User);
const post = (path: string, body?: unknown) => {
  const r = hub.http().post(path);
  return body === undefined ? r : r.send(body as object);
};

describe('register', () => {
  test('first user is admin; JWKS verifies the access token; session shape', async () => {
    const me = await hub.http().get('/api/v1/me').set(admin.auth).expect(200);
    expect(me.body).toMatchObject({
      id: admin.id,
      username: admin.username,
      email: admin.email,
      is_admin: true,
      disabled: false,
    });
    expect(me.body.password_hash).toBeUndefined();
    const b = await registerUser(hub);
    expect((await hub.http().get('/api/v1/me').set(b.auth)).body.is_admin).toBe(false);
    const jwks = await hub.http().get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA' });
    expect(Object.keys(jwks.body.keys[0]).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    const { payload, protectedHeader } = await jwtVerify(admin.token, createLocalJWKSet(jwks.body), {
      currentDate: new Date(hub.clock.now()),
    });
    // access tokens are ES256, signed by the hub's P-256 key published next to the Ed25519 one
    const p256 = jwks.body.keys.find((k: { kty: string }) => k.kty === 'EC');
    expect(p256).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' });
    expect(Object.keys(p256).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: p256.kid });
    expect(payload).toMatchObject({ iss: 'hub-test', sub: admin.id, aud: 'hub', token_use: 'access' });
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(hub.cfg.auth.accessTtlSeconds);
  });

  test('201 body: tokens, Bearer, expires_in, user; display_name; alias /signup', async () => {
    const r = await post('/api/v1/auth/register', {
      username: 'Carol.x',
      email: 'Carol@Example.test',
      password: 'password-123',
      display_name: 'Carol',
    }).expect(201);
    expect(r.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: hub.cfg.auth.accessTtlSeconds,
      user: { username: 'Carol.x', email: 'carol@example.test', display_name: 'Carol', is_admin: false },
    });
    expect(typeof r.body.access_token).toBe('string');
    expect(typeof r.body.refresh_token).toBe('string');
    expect(new Date(r.body.user.created_at).toISOString()).toBe(r.body.user.created_at);
    const s = await post('/api/v1/auth/signup', {
      username: 'dave',
      email: 'dave@example.test',
      password: 'password-123',
    }).expect(201);
    expect(s.body.user.display_name).toBe('dave');
  });

  test('duplicate username (any case) or email → 409, nothing written', async () => {
    const before = await users().count();
    const u = await post('/api/v1/auth/register', {
      username: 'CAROL.X',
      email: 'other@example.test',
      password: 'password-123',
    });
    expect(u.status).toBe(409);
    expect(u.body).toEqual({ error: expect.any(String), code: 'user.username_taken' });
    const e = await post('/api/v1/auth/register', {
      username: 'carol2',
      email: 'CAROL@example.test',
      password: 'password-123',
    });
    expect(e.status).toBe(409);
    expect(e.body.code).toBe('user.email_taken');
    expect(await users().count()).toBe(before);
  });

  test.each([
    ['missing fields', {}],
    ['short username', { username: 'ab', email: 'a@example.test', password: 'password-123' }],
    ['username with spaces', { username: 'a b c', email: 'a@example.test', password: 'password-123' }],
    ['username too long', { username: 'a'.repeat(51), email: 'a@example.test', password: 'password-123' }],
    ['bad email', { username: 'erin', email: 'not-an-email', password: 'password-123' }],
    ['email too long', { username: 'erin', email: `${'a'.repeat(250)}@example.test`, password: 'password-123' }],
    ['short password', { username: 'erin', email: 'erin@example.test', password: 'short' }],
    ['password over 4096', { username: 'erin', email: 'erin@example.test', password: 'p'.repeat(4097) }],
    [
      'display_name over 100 (emoji selectors)',
      { username: 'erin', email: 'erin@example.test', password: 'password-123', display_name: 'a\uFE0F'.repeat(100) },
    ],
    [
      'display_name null',
      { username: 'erin', email: 'erin@example.test', password: 'password-123', display_name: null },
    ],
    ['wrong types', { username: 123, email: ['x@example.test'], password: { a: 1 } }],
    ['extra field', { username: 'erin', email: 'erin@example.test', password: 'password-123', is_admin: true }],
  ])('400 request.validation_failed: %s (nothing written)', async (_name, body) => {
    const before = await users().count();
    const r = await post('/api/v1/auth/register', body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: expect.any(String),
      code: 'request.validation_failed',
      fields: expect.arrayContaining([{ field: expect.any(String), message: expect.any(String) }]),
    });
    expect(await users().count()).toBe(before);
  });

  test('validation errors name each refused field next to {error, code}', async () => {
    const r = await post('/api/v1/auth/register', {
      username: 'erin',
      email: 'not-an-email',
      password: 'short',
      is_admin: true,
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('request.validation_failed');
    const fields = (r.body.fields as { field: string; message: string }[]).map((f) => f.field);
    expect(new Set(fields)).toEqual(new Set(['email', 'password', 'is_admin']));
    for (const f of r.body.fields) expect(r.body.error).toContain(f.message);
  });

  test('malformed JSON, non-object bodies, wrong content type → 4xx, never 500', async () => {
    const m = await hub.http().post('/api/v1/auth/register').set('content-type', 'application/json').send('{bad');
    expect(m.status).toBe(400);
    expect(m.body.code).toBe('request.malformed_json');
    const empty = await hub.http().post('/api/v1/auth/register').set('content-type', 'application/json').send('');
    expect(empty.status).toBe(400);
    for (const raw of ['[]', '"str"', '123', 'null', 'true', '[{"username":"x"}]']) {
      const r = await hub.http().post('/api/v1/auth/register').set('content-type', 'application/json').send(raw);
      expect([r.status, r.body.code]).toEqual([400, expect.stringMatching(/^request\./)]);
    }
    const t = await hub.http().post('/api/v1/auth/register').set('content-type', 'text/plain').send('username=x');
    expect(t.status).toBe(400);
    expect(t.body.code).toBe('request.validation_failed');
    const x = await hub.http().post('/api/v1/auth/register').set('content-type', 'application/xml').send('<u/>');
    expect([x.status, x.body.code]).toEqual([415, 'request.unsupported_media_type']);
    const big = await hub
      .http()
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ username: 'x', pad: 'x'.repeat(hub.cfg.http.bodyLimitBytes) }));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('request.too_large');
  });

  test('signups disabled (live setting) → 403 auth.signups_disabled', async () => {
    const settings = hub.get(HubSettings);
    await settings.set('auth.signups_enabled', 'false');
    try {
      const r = await post('/api/v1/auth/register', {
        username: 'frank',
        email: 'frank@example.test',
        password: 'password-123',
      });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('auth.signups_disabled');
      expect(await users().exists({ where: { usernameLower: 'frank' } })).toBe(false);
    } finally {
      await settings.set('auth.signups_enabled', null);
    }
  });
});

test('HUB_SIGNUPS_ENABLED=false → 403; an admin can still create accounts', async () => {
  const closed = await createTestHub({ env: { HUB_SIGNUPS_ENABLED: 'false' } });
  try {
    const r = await closed
      .http()
      .post('/api/v1/auth/register')
      .send({ username: 'nobody', email: 'nobody@example.test', password: 'password-123' });
    expect([r.status, r.body.code]).toEqual([403, 'auth.signups_disabled']);
    expect(
      (
        await closed
          .http()
          .post('/api/v1/auth/signup')
          .send({ username: 'nobody', email: 'nobody@example.test', password: 'password-123' })
      ).status,
    ).toBe(403);
    expect(await closed.ds.getRepository(User).count()).toBe(0);
    await closed
      .get(UsersService)
      .create({ username: 'boss', email: 'boss@example.test', password: 'password-123', isAdmin: true });
    const l = await closed
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'boss', password: 'password-123' })
      .expect(200);
    await closed
      .http()
      .post('/api/v1/admin/users')
      .set('Authorization', `Bearer ${l.body.access_token}`)
      .send({ username: 'invited', email: 'invited@example.test', password: 'password-123' })
      .expect(201);
  } finally {
    await closed.close();
  }
});

describe('login', () => {
  test('by username (any case) or email → 200 session', async () => {
    const a = await post('/api/v1/auth/login', {
      username: admin.username.toUpperCase(),
      password: admin.password,
    }).expect(200);
    expect(a.body).toMatchObject({ token_type: 'Bearer', user: { id: admin.id } });
    const b = await post('/api/v1/auth/login', { email: admin.email.toUpperCase(), password: admin.password }).expect(
      200,
    );
    await hub.http().get('/api/v1/me').set('Authorization', `Bearer ${b.body.access_token}`).expect(200);
  });

  test('wrong password and unknown user → the same 401', async () => {
    const a = await post('/api/v1/auth/login', { username: admin.username, password: 'wrong password' });
    const b = await post('/api/v1/auth/login', { username: 'nobody-here', password: 'wrong password' });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body).toEqual(b.body);
    expect(a.body.code).toBe('auth.invalid_credentials');
  });

  test('bad input → 400', async () => {
    for (const body of [
      {},
      { password: 'x' },
      { username: 'x' },
      { username: 'x', password: 1 },
      { username: 'x', password: 'y', extra: 1 },
      { username: '', password: 'y' },
      { username: 'x'.repeat(255), password: 'y' },
    ]) {
      const r = await post('/api/v1/auth/login', body);
      expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
    }
  });
});

describe('refresh and logout', () => {
  test('refresh rotates; the old token is single-use; reuse revokes the whole family', async () => {
    const u = await registerUser(hub);
    const r1 = await post('/api/v1/auth/refresh', { refresh_token: u.refresh }).expect(200);
    expect(r1.body).toMatchObject({ token_type: 'Bearer', user: { id: u.id } });
    expect(r1.body.refresh_token).not.toBe(u.refresh);
    await hub.http().get('/api/v1/me').set('Authorization', `Bearer ${r1.body.access_token}`).expect(200);
    const r2 = await post('/api/v1/auth/refresh', { refresh_token: r1.body.refresh_token }).expect(200);
    // replay of the first (rotated) token: 401 and the live descendant dies with it
    const replay = await post('/api/v1/auth/refresh', { refresh_token: u.refresh });
    expect([replay.status, replay.body.code]).toEqual([401, 'auth.invalid_token']);
    const after = await post('/api/v1/auth/refresh', { refresh_token: r2.body.refresh_token });
    expect(after.status).toBe(401);
    // the replay is on the audit trail (once: the revoked descendant is just invalid), without the token
    const trail = await hub.ds.getRepository(AuditLog).findBy({ action: 'auth.refresh_reused', actorId: u.id });
    expect(trail.map((a) => [a.outcome, a.targetType])).toEqual([['denied', 'token_family']]);
    expect(trail[0].ip).toBeTruthy();
    expect(JSON.stringify(trail)).not.toContain(u.refresh);
    // another session of the same user is untouched
    const other = await post('/api/v1/auth/login', { username: u.username, password: u.password }).expect(200);
    await post('/api/v1/auth/refresh', { refresh_token: other.body.refresh_token }).expect(200);
  });

  test('concurrent use of one refresh token: one rotation, every racer gets the same new token, the family survives', async () => {
    const u = await registerUser(hub);
    const rs = await Promise.all(
      Array.from({ length: 5 }, () => post('/api/v1/auth/refresh', { refresh_token: u.refresh })),
    );
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(rs.map((r) => r.body.refresh_token)).size).toBe(1);
    await post('/api/v1/auth/refresh', { refresh_token: rs[0].body.refresh_token }).expect(200);
  });

  test('refresh tokens are stored hashed; expired ones are refused', async () => {
    const u = await registerUser(hub);
    const rows = await hub.ds.getRepository(RefreshToken).find({ where: { userId: u.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].tokenHash).not.toContain(u.refresh);
    const t0 = hub.clock.now();
    hub.clock.advance(hub.cfg.auth.refreshTtlSeconds * 1000 + 1000);
    try {
      expect((await post('/api/v1/auth/refresh', { refresh_token: u.refresh })).status).toBe(401);
    } finally {
      hub.clock.set(t0);
    }
  });

  test('refresh bad input → 400; unknown token → 401', async () => {
    for (const body of [
      {},
      { refresh_token: 1 },
      { refresh_token: 'short' },
      { refresh_token: 'x'.repeat(513) },
      { refresh_token: 'x'.repeat(20), extra: 1 },
    ]) {
      expect((await post('/api/v1/auth/refresh', body)).status).toBe(400);
    }
    const r = await post('/api/v1/auth/refresh', { refresh_token: 'x'.repeat(43) });
    expect([r.status, r.body.code]).toEqual([401, 'auth.invalid_token']);
  });

  test('logout → 204 and the session can no longer refresh; idempotent; empty body ok', async () => {
    const u = await registerUser(hub);
    const r1 = await post('/api/v1/auth/refresh', { refresh_token: u.refresh }).expect(200);
    const out = await post('/api/v1/auth/logout', { refresh_token: r1.body.refresh_token });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expect((await post('/api/v1/auth/refresh', { refresh_token: r1.body.refresh_token })).status).toBe(401);
    await post('/api/v1/auth/logout', { refresh_token: r1.body.refresh_token }).expect(204);
    await post('/api/v1/auth/logout', { refresh_token: 'y'.repeat(43) }).expect(204);
    await post('/api/v1/auth/logout').expect(204);
    await post('/api/v1/auth/logout', {}).expect(204);
    expect((await post('/api/v1/auth/logout', { refresh_token: 5 })).status).toBe(400);
    expect((await post('/api/v1/auth/logout', { nope: 1 })).status).toBe(400);
  });
});

describe('disabled and deleted users', () => {
  test('disabled: access token refused at once, refresh refused, login refused', async () => {
    const u = await registerUser(hub);
    await hub.http().get('/api/v1/me').set(u.auth).expect(200);
    await users().update({ id: u.id }, { disabled: true });
    const me = await hub.http().get('/api/v1/me').set(u.auth);
    expect([me.status, me.body.code]).toEqual([403, 'auth.user_disabled']);
    const r = await post('/api/v1/auth/refresh', { refresh_token: u.refresh });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('auth.user_disabled');
    const l = await post('/api/v1/auth/login', { username: u.username, password: u.password });
    expect([l.status, l.body.code]).toEqual([403, 'auth.user_disabled']);
    // the refused refresh revoked the family: re-enabling does not revive it, nor its access token
    // (access tokens end with their session); signing in again works
    await users().update({ id: u.id }, { disabled: false });
    expect((await post('/api/v1/auth/refresh', { refresh_token: u.refresh })).status).toBe(401);
    expect((await hub.http().get('/api/v1/me').set(u.auth)).status).toBe(401);
    await post('/api/v1/auth/login', { username: u.username, password: u.password }).expect(200);
  });

  test('deleted: access token and refresh token → 401', async () => {
    const u = await registerUser(hub);
    await users().delete({ id: u.id });
    expect((await hub.http().get('/api/v1/me').set(u.auth)).status).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refresh_token: u.refresh })).status).toBe(401);
  });
});

describe('me', () => {
  test('GET /api/v1/me and /api/v1/auth/me', async () => {
    const me = await hub.http().get('/api/v1/me').set(admin.auth).expect(200);
    const wrapped = await hub.http().get('/api/v1/auth/me').set(admin.auth).expect(200);
    expect(wrapped.body).toEqual({ user: me.body });
  });

  test('no token / garbage / wrong scheme → 401 auth.required or auth.invalid_token', async () => {
    for (const path of ['/api/v1/me', '/api/v1/auth/me']) {
      const r = await hub.http().get(path);
      expect([r.status, r.body.code]).toEqual([401, 'auth.required']);
      expect((await hub.http().get(path).set('Authorization', 'Bearer nope')).body.code).toBe('auth.invalid_token');
      expect((await hub.http().get(path).set('Authorization', `Basic ${admin.token}`)).status).toBe(401);
      expect(
        (
          await hub
            .http()
            .get(path)
            .set('Authorization', `Bearer ${'a'.repeat(9000)}`)
        ).status,
      ).toBe(401);
    }
  });
});
