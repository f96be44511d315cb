import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { RefreshToken } from '../src/auth/entities/refresh-token.entity.js';
import { AuditLog } from '../src/audit/entities/audit-log.entity.js';
import { KeysService } from '../src/auth/keys.service.js';
import { REFRESH_REUSE_GRACE_MS } from '../src/auth/tokens.service.js';
import { SESSION_POLL_MS } from '../src/auth/session-revocations.service.js';

let hub: TestHub;
let admin: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
});
afterAll(async () => {
  await hub.close();
});

const refresh = (token: string) => hub.http().post('/api/v1/auth/refresh').send({ refresh_token: token });
const me = (access: string) => hub.http().get('/api/v1/me').set('Authorization', `Bearer ${access}`);

describe('refresh races', () => {
  test('two simultaneous refreshes of one token both succeed with the same new pair; the family survives', async () => {
    const u = await registerUser(hub);
    const [a, b] = await Promise.all([refresh(u.refresh), refresh(u.refresh)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
    expect(a.body.refresh_token).not.toBe(u.refresh);
    await me(a.body.access_token).expect(200);
    await me(b.body.access_token).expect(200);
    // exactly one successor row was kept; nothing revoked, nothing audited as reuse
    const rows = await hub.ds.getRepository(RefreshToken).find({ where: { userId: u.id } });
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revokedAt === null)).toBe(true);
    expect(await hub.ds.getRepository(AuditLog).countBy({ action: 'auth.refresh_reused', actorId: u.id })).toBe(0);
    await refresh(a.body.refresh_token).expect(200);
  });

  test('a retry within the grace gets the same token; a replay after the grace revokes the whole family', async () => {
    const u = await registerUser(hub);
    const r1 = await refresh(u.refresh).expect(200);
    const retry = await refresh(u.refresh).expect(200);
    expect(retry.body.refresh_token).toBe(r1.body.refresh_token);
    hub.clock.advance(REFRESH_REUSE_GRACE_MS + 1000);
    const replay = await refresh(u.refresh);
    expect([replay.status, replay.body.code]).toEqual([401, 'auth.invalid_token']);
    expect((await refresh(r1.body.refresh_token)).status).toBe(401);
    expect((await me(r1.body.access_token)).status).toBe(401); // the family's access tokens end too
    const trail = await hub.ds.getRepository(AuditLog).findBy({ action: 'auth.refresh_reused', actorId: u.id });
    expect(trail.map((t) => JSON.parse(t.details ?? '{}').how)).toEqual(['replayed']);
  });

  test('many parallel refreshes: one rotation; every racer holds the same live token', async () => {
    const u = await registerUser(hub);
    const rs = await Promise.all(Array.from({ length: 8 }, () => refresh(u.refresh)));
    expect(rs.every((r) => r.status === 200)).toBe(true);
    expect(new Set(rs.map((r) => r.body.refresh_token)).size).toBe(1);
    expect(await hub.ds.getRepository(RefreshToken).countBy({ userId: u.id })).toBe(2);
  });
});

describe('access tokens end with their session', () => {
  test("logout with the refresh token: that session's access token is refused at once; other sessions live", async () => {
    const u = await registerUser(hub);
    const other = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: u.username, password: u.password })
      .expect(200);
    await me(u.token).expect(200);
    await hub.http().post('/api/v1/auth/logout').send({ refresh_token: u.refresh }).expect(204);
    const r = await me(u.token);
    expect([r.status, r.body.code]).toEqual([401, 'auth.invalid_token']);
    await me(other.body.access_token).expect(200);
  });

  test('logout with only the access token ends that session (access and refresh)', async () => {
    const u = await registerUser(hub);
    await hub.http().post('/api/v1/auth/logout').set(u.auth).send({}).expect(204);
    expect((await me(u.token)).status).toBe(401);
    expect((await refresh(u.refresh)).status).toBe(401);
  });

  test('a password reset ends every access token of the user', async () => {
    const u = await registerUser(hub);
    const second = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: u.username, password: u.password })
      .expect(200);
    await hub
      .http()
      .patch(`/api/v1/admin/users/${u.id}`)
      .set(admin.auth)
      .send({ password: 'a-brand-new-password' })
      .expect(200);
    expect((await me(u.token)).status).toBe(401);
    expect((await me(second.body.access_token)).status).toBe(401);
    const fresh = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: u.username, password: 'a-brand-new-password' })
      .expect(200);
    await me(fresh.body.access_token).expect(200);
  });

  test('a session ended by another hub process (seen only in the database) is refused within about a second', async () => {
    const u = await registerUser(hub);
    await me(u.token).expect(200);
    await hub.ds.getRepository(RefreshToken).update({ userId: u.id }, { revokedAt: hub.clock.now() });
    await new Promise((r) => setTimeout(r, SESSION_POLL_MS + 200));
    expect((await me(u.token)).status).toBe(401);
  });

  test('an access token that names no session is refused', async () => {
    const u = await registerUser(hub);
    const bare = await hub
      .get(KeysService)
      .sign({ token_use: 'access', username: u.username }, { audience: 'hub', subject: u.id, ttlSeconds: 600 });
    expect((await me(bare)).status).toBe(401);
  });
});
