import { SignJWT } from 'jose';
import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { heartbeatBody, pairServer, PairedServer, PROTO, sendHeartbeat } from './helpers/servers.js';
import { HubEvents } from '../src/common/hub-events.js';
import { HubSettings } from '../src/common/hub-settings.service.js';
import { ServerVerifier } from '../src/common/server-verifier.js';
import { AuditLog } from '../src/audit/entities/audit-log.entity.js';

let hub: TestHub;
let alice: TestUser;
let bob: TestUser;
let a: PairedServer;
let b: PairedServer;
const events: { name: string; p: unknown }[] = [];
beforeAll(async () => {
  hub = await createTestHub();
  await registerUser(hub);
  alice = await registerUser(hub);
  bob = await registerUser(hub);
  a = await pairServer(hub, alice, { name: 'A' });
  b = await pairServer(hub, bob, { name: 'B' });
  const ev = hub.get(HubEvents);
  ev.on('server.enrollment_changed', (p) => {
    events.push({ name: 'server.enrollment_changed', p });
  });
  ev.on('server.released', (p) => {
    events.push({ name: 'server.released', p });
  });
});
afterAll(async () => {
  await hub.close();
});

const hb = (s: PairedServer, jwt: string, id = s.serverId) =>
  hub
    .http()
    .post(`/api/v1/servers/${id}/heartbeat`)
    .set(PROTO)
    .set('Authorization', `Bearer ${jwt}`)
    .send(heartbeatBody(id));

test('the ServerVerifier port is bound to enrollment and accepts the current enrollment', async () => {
  const v = hub.get(ServerVerifier);
  await expect(v.verify(a.enrollmentJwt, undefined as never)).resolves.toEqual({
    serverId: a.serverId,
    jti: expect.any(String),
  });
  expect((await sendHeartbeat(hub, a)).status).toBe(200);
});

test("GET /servers/{id}/info: the server's own record", async () => {
  const r = await hub.http().get(`/api/v1/servers/${a.serverId}/info`).set(a.auth).expect(200);
  expect(r.body).toMatchObject({
    serverId: a.serverId,
    userId: alice.id,
    serverName: 'A',
    server_id: a.serverId,
    owner: { id: alice.id, username: alice.username },
    hub_base_url: 'http://hub.test:8800',
    hub_jwks_url: 'http://hub.test:8800/.well-known/jwks.json',
    heartbeat_interval: 60,
  });
  expect(r.body.enrollment_expires_at - Math.floor(hub.clock.now() / 1000)).toBe(7 * 86400);
  expect(
    (await hub.http().get(`/api/v1/servers/${a.serverId}/info`).set('Authorization', a.auth.Authorization)).body.code,
  ).toBe('hub.protocol_unsupported');
});

test("a server may only act on itself: another server's id → 403, an unknown id → 404", async () => {
  const r = await hb(a, a.enrollmentJwt, b.serverId);
  expect([r.status, r.body.code]).toEqual([403, 'auth.server_mismatch']);
  for (const path of [`/api/v1/servers/${b.serverId}/info`]) {
    expect((await hub.http().get(path).set(a.auth)).status).toBe(403);
  }
  expect((await hub.http().post(`/api/v1/servers/${b.serverId}/renew`).set(a.auth)).status).toBe(403);
  expect((await hub.http().delete(`/api/v1/servers/${b.serverId}`).set(a.auth)).status).toBe(403);
  const unknown = await hb(a, a.enrollmentJwt, '11111111-1111-4111-8111-111111111111');
  expect([unknown.status, unknown.body.code]).toEqual([404, 'server.not_found']);
  expect((await hb(a, a.enrollmentJwt, 'not-a-uuid')).status).toBe(404);
  // a heartbeat body naming another server
  const lie = await hub
    .http()
    .post(`/api/v1/servers/${a.serverId}/heartbeat`)
    .set(a.auth)
    .send(heartbeatBody(b.serverId));
  expect([lie.status, lie.body.code]).toEqual([403, 'auth.server_mismatch']);
  // B is untouched
  const rows = await hub.ds.query('SELECT COUNT(*) AS n FROM server_heartbeats WHERE server_id = ?', [b.serverId]);
  expect(Number(rows[0].n)).toBe(0);
});

test('bad credentials → 401: none, a user access token, a forged token, alg none, garbage', async () => {
  const none = await hub
    .http()
    .post(`/api/v1/servers/${a.serverId}/heartbeat`)
    .set(PROTO)
    .send(heartbeatBody(a.serverId));
  expect([none.status, none.body.code]).toEqual([401, 'auth.required']);
  for (const [m, path] of [
    ['post', `/api/v1/servers/${a.serverId}/renew`],
    ['get', `/api/v1/servers/${a.serverId}/info`],
    ['delete', `/api/v1/servers/${a.serverId}`],
  ] as const) {
    const r = await hub.http()[m](path).set(PROTO);
    expect([path, r.status, r.body.code]).toEqual([path, 401, 'auth.required']);
    expect((await hub.http()[m](path).set(PROTO).set('Authorization', `Bearer ${alice.token}`)).status).toBe(401);
  }
  expect((await hb(a, alice.token)).body.code).toBe('auth.invalid_token');
  // signed by the server's own key, claiming to be the hub
  const forged = await new SignJWT({ token_use: 'enrollment', server_id: a.serverId })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'whatever' })
    .setIssuer('hub-test')
    .setAudience('server')
    .setSubject(a.serverId)
    .setJti('x')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(a.key.privateKey);
  expect((await hb(a, forged)).status).toBe(401);
  const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(
    JSON.stringify({ sub: a.serverId, aud: 'server', token_use: 'enrollment', jti: 'x', exp: 9e9 }),
  ).toString('base64url');
  expect((await hb(a, `${head}.${body}.`)).status).toBe(401);
  expect((await hb(a, 'garbage')).status).toBe(401);
});

test('renew rotates: the new JWT works, the old one is revoked; enrollment_changed is emitted', async () => {
  events.length = 0;
  const r = await hub.http().post(`/api/v1/servers/${a.serverId}/renew`).set(a.auth).expect(200);
  expect(r.body).toMatchObject({
    enrollment_jwt: expect.any(String),
    server_id: a.serverId,
    expires_in: 604800,
    hub_jwks_url: expect.any(String),
  });
  expect((await hb(a, a.enrollmentJwt)).status).toBe(401);
  expect((await hb(a, r.body.enrollment_jwt)).status).toBe(200);
  expect(events).toEqual([{ name: 'server.enrollment_changed', p: { serverId: a.serverId } }]);
  // renewing twice with the same old token: the second fails
  expect((await hub.http().post(`/api/v1/servers/${a.serverId}/renew`).set(a.auth)).status).toBe(401);
  // one audit row for the one rotation that happened, acted by the server, no JWT in it
  const trail = await hub.ds
    .getRepository(AuditLog)
    .findBy({ action: 'server.enrollment_renewed', targetId: a.serverId });
  expect(trail.map((x) => [x.actorType, x.actorId])).toEqual([['server', a.serverId]]);
  expect(trail[0].details).not.toContain(r.body.enrollment_jwt.slice(0, 20));
  a = {
    ...a,
    enrollmentJwt: r.body.enrollment_jwt,
    auth: { ...a.auth, Authorization: `Bearer ${r.body.enrollment_jwt}` },
  };
});

test('an expired enrollment → 401 auth.enrollment_expired; TTL follows the live setting', async () => {
  await hub.get(HubSettings).set('server.enrollment_ttl', '3600');
  const r = await hub.http().post(`/api/v1/servers/${b.serverId}/renew`).set(b.auth).expect(200);
  expect(r.body.expires_in).toBe(3600);
  await hub.get(HubSettings).set('server.enrollment_ttl', null);
  b = {
    ...b,
    enrollmentJwt: r.body.enrollment_jwt,
    auth: { ...b.auth, Authorization: `Bearer ${r.body.enrollment_jwt}` },
  };
  hub.clock.advance(3600_000 + 10_000);
  const late = await hb(b, b.enrollmentJwt);
  expect([late.status, late.body.code]).toEqual([401, 'auth.enrollment_expired']);
  expect((await hub.http().post(`/api/v1/servers/${b.serverId}/renew`).set(b.auth)).body.code).toBe(
    'auth.enrollment_expired',
  );
});

test('DELETE /servers/{id}: the server deregisters itself; its enrollment stops working', async () => {
  events.length = 0;
  const r = await hub.http().delete(`/api/v1/servers/${a.serverId}`).set(a.auth).expect(200);
  expect(r.body).toEqual({ server_id: a.serverId, previous_owner_id: alice.id, released: true });
  expect(events).toEqual([
    { name: 'server.released', p: { serverId: a.serverId, previousOwnerId: alice.id, reason: 'deregistered' } },
  ]);
  expect((await hb(a, a.enrollmentJwt)).status).toBe(401);
  const login = await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: alice.username, password: alice.password })
    .expect(200);
  const mine = await hub
    .http()
    .get('/api/v1/me/servers')
    .set('Authorization', `Bearer ${login.body.access_token}`)
    .expect(200);
  expect(mine.body.servers).toEqual([]);
  const audit = await hub.ds.query(
    "SELECT actor_type FROM audit_logs WHERE action = 'server.deregistered' AND target_id = ?",
    [a.serverId],
  );
  expect(audit).toEqual([{ actor_type: 'server' }]);
});
