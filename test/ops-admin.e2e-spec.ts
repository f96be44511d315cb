import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { AuditService, type AuditAction } from '../src/audit/audit.service.js';
import { HubEvents } from '../src/common/hub-events.js';
import { stubPresence } from './helpers/presence.js';

let hub: TestHub;
let admin: TestUser;
let user: TestUser;

beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
  user = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const ROUTES = ['/api/v1/admin/dashboard', '/api/v1/admin/dashboard/summary', '/api/v1/admin/audit-logs'];

test.each(ROUTES)('%s: no token → 401, normal user → 403', async (path) => {
  const anon = await hub.http().get(path);
  expect(anon.status).toBe(401);
  expect(anon.body.code).toBe('auth.required');
  const normal = await hub.http().get(path).set(user.auth);
  expect(normal.status).toBe(403);
  expect(normal.body.code).toBe('auth.not_admin');
});

test('dashboard: users, servers by status, live tunnels/streams, relay bytes today, recent activity', async () => {
  const now = hub.clock.now();
  const owner = user.id;
  const ins =
    'INSERT INTO servers (id, owner_id, name, version, public_key_jwk, key_thumbprint, hostname_candidates, status, last_seen_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const mk = (i: number, status: string, ownerId: string | null) =>
    hub.ds.query(ins, [
      `00000000-0000-4000-8000-00000000000${i}`,
      ownerId,
      `srv${i}`,
      '1.0.0',
      '{}',
      `tp${i}`,
      '[]',
      status,
      now,
      now,
      now,
    ]);
  await mk(1, 'online', owner);
  await mk(2, 'online', owner);
  await mk(3, 'offline', owner);
  await mk(4, 'online', null); // released: not counted
  const rs =
    'INSERT INTO relay_sessions (id, server_id, tunnel_id, worker_node, flow_control, opened_at, closed_at, bytes_in, bytes_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
  await hub.ds.query(rs, [
    '10000000-0000-4000-8000-000000000001',
    '00000000-0000-4000-8000-000000000001',
    '20000000-0000-4000-8000-000000000001',
    'n1',
    'plain',
    now - 1000,
    null,
    1000,
    500,
  ]);
  await hub.ds.query(rs, [
    '10000000-0000-4000-8000-000000000002',
    '00000000-0000-4000-8000-000000000002',
    '20000000-0000-4000-8000-000000000002',
    'n1',
    'plain',
    now - 3 * 86400000,
    now - 2 * 86400000,
    7777,
    7777,
  ]);
  const restorePresence = stubPresence(hub, { isActive: () => true, activeTunnels: () => 2, activeStreams: () => 5 });

  const r = await hub.http().get('/api/v1/admin/dashboard').set(admin.auth).expect(200);
  expect(r.body.users).toEqual({ total: 2, admins: 1, disabled: 0 });
  expect(r.body.servers).toMatchObject({ total: 3, online: 2, offline: 1 });
  expect(r.body.relay).toMatchObject({ active_tunnels: 2, active_streams: 5, bytes_today: 1500 });
  expect(Array.isArray(r.body.recent_activity)).toBe(true);
  expect(r.body.recent_activity[0]).toHaveProperty('action');
  restorePresence();
});

test('audit-logs: paged, newest first, filters by action (exact and prefix), actor, target, since/until', async () => {
  const audit = hub.get(AuditService);
  const t0 = hub.clock.now();
  hub.clock.advance(60_000);
  await audit.record({
    action: 'ops.test_a' as AuditAction,
    actorId: admin.id,
    targetType: 'user',
    targetId: user.id,
    ip: '10.0.0.1',
  });
  hub.clock.advance(1000);
  await audit.record({
    action: 'ops.test_b' as AuditAction,
    actorId: user.id,
    targetType: 'server',
    targetId: 'srv-1',
    outcome: 'failure',
  });
  hub.clock.advance(1000);
  await audit.record({
    action: 'ops.test_a' as AuditAction,
    actorId: user.id,
    targetType: 'server',
    targetId: 'srv-2',
  });
  hub.clock.advance(1000);

  const all = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ action: 'ops.*', per_page: 2 })
    .set(admin.auth)
    .expect(200);
  expect(all.body.total).toBe(3);
  expect(all.body.items).toHaveLength(2);
  expect(all.body.items[0]).toMatchObject({
    action: 'ops.test_a' as AuditAction,
    target_id: 'srv-2',
    actor_username: user.username,
  });
  expect(Date.parse(all.body.items[0].at)).toBeGreaterThan(Date.parse(all.body.items[1].at));
  const p2 = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ action: 'ops.', per_page: 2, page: 2 })
    .set(admin.auth)
    .expect(200);
  expect(p2.body.items).toHaveLength(1);
  expect(p2.body.items[0]).toMatchObject({
    action: 'ops.test_a' as AuditAction,
    actor_id: admin.id,
    ip: '10.0.0.1',
    target_type: 'user',
  });

  const exact = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ action: 'ops.test_b' })
    .set(admin.auth)
    .expect(200);
  expect(exact.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['failure']);
  const byActor = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ action: 'ops.*', actor: user.id })
    .set(admin.auth)
    .expect(200);
  expect(byActor.body.total).toBe(2);
  const byTarget = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ target: 'srv-1' })
    .set(admin.auth)
    .expect(200);
  expect(byTarget.body.items.map((i: { action: string }) => i.action)).toEqual(['ops.test_b']);
  const window = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ action: 'ops.*', since: new Date(t0 + 60_500).toISOString(), until: new Date(t0 + 62_000).toISOString() })
    .set(admin.auth)
    .expect(200);
  expect(window.body.items.map((i: { action: string }) => i.action)).toEqual(['ops.test_b']);
  const none = await hub.http().get('/api/v1/admin/audit-logs').query({ action: 'ops_%' }).set(admin.auth);
  expect(none.status).toBe(400);
});

test('audit-logs: bad filters are 400', async () => {
  for (const q of [
    { per_page: 0 },
    { per_page: 500 },
    { page: 'x' },
    { since: 'yesterday' },
    { outcome: 'maybe' },
    { action: "x' OR 1=1" },
    { nope: 1 },
    { since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' },
  ]) {
    const r = await hub.http().get('/api/v1/admin/audit-logs').query(q).set(admin.auth);
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
  }
});

test('admin changes and login failures are in the audit log', async () => {
  await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: user.username, password: 'wrong password!' })
    .expect(401);
  const fails = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ action: 'auth.login_failed', actor: user.id })
    .set(admin.auth)
    .expect(200);
  expect(fails.body.items[0]).toMatchObject({ outcome: 'failure', details: { reason: 'bad_password' } });
  expect(JSON.stringify(fails.body)).not.toContain('wrong password!');
});

test('disabling a user ends their sessions at once (access and refresh tokens) and emits user.disabled (the relay ends their streams on it)', async () => {
  const victim = await registerUser(hub);
  await hub.http().get('/api/v1/me').set(victim.auth).expect(200);
  const disabled: string[] = [];
  hub.get(HubEvents).on('user.disabled', ({ userId }) => {
    disabled.push(userId);
  });
  await hub.http().patch(`/api/v1/admin/users/${victim.id}`).set(admin.auth).send({ disabled: true }).expect(200);
  const me = await hub.http().get('/api/v1/me').set(victim.auth);
  expect([me.status, me.body.code]).toEqual([403, 'auth.user_disabled']);
  const ref = await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: victim.refresh });
  expect(ref.status).toBeGreaterThanOrEqual(400);
  expect(disabled).toEqual([victim.id]);
  const log = await hub
    .http()
    .get('/api/v1/admin/audit-logs')
    .query({ action: 'admin.user_updated', target: victim.id })
    .set(admin.auth)
    .expect(200);
  expect(log.body.items[0]).toMatchObject({ actor_id: admin.id, details: { disabled: true } });
});
