import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { makeServerKey, pairServer, pollClaim, redeemCode, sendHeartbeat, startClaim } from './helpers/servers.js';
import { HubEvents } from '../src/common/hub-events.js';
import { RelayPresence } from '../src/common/relay-presence.js';

let hub: TestHub;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
const events: { name: string; p: Record<string, unknown> }[] = [];
const closed: [string, string][] = [];
const active = new Set<string>();
const fakePresence: Partial<RelayPresence> = {
  isActive: (id) => active.has(id),
  closeTunnel: (id, reason) => {
    closed.push([id, reason]);
    active.delete(id);
  },
};
beforeAll(async () => {
  hub = await createTestHub({ overrides: [[RelayPresence, fakePresence]] });
  admin = await registerAdmin(hub);
  alice = await registerUser(hub);
  bob = await registerUser(hub);
  const ev = hub.get(HubEvents);
  ev.on('server.released', (p) => {
    events.push({ name: 'server.released', p });
  });
  ev.on('server.enrollment_changed', (p) => {
    events.push({ name: 'server.enrollment_changed', p });
  });
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  events.length = 0;
  closed.length = 0;
});

const owner = async (id: string) => {
  const rows = await hub.ds.query('SELECT owner_id FROM servers WHERE id = ?', [id]);
  return rows.length ? rows[0].owner_id : 'missing';
};
const n = async (sql: string, p: unknown[]) => Number((await hub.ds.query(sql, p))[0].n);

test('unclaim (DELETE /me/servers/{id}): enrollment revoked, tunnel closed, server.released emitted, history cleared, audited', async () => {
  const s = await pairServer(hub, alice, { name: 'Unclaim me' });
  await sendHeartbeat(hub, s).expect(200);
  active.add(s.serverId);
  const list = await hub.http().get('/api/v1/me/servers').set(alice.auth).expect(200);
  expect(list.body.servers.find((x: { serverId: string }) => x.serverId === s.serverId).relayActive).toBe(true);

  await hub.http().delete(`/api/v1/me/servers/${s.serverId}`).set(alice.auth).expect(204);
  expect(closed).toEqual([[s.serverId, 'server.unclaimed']]);
  expect(events).toEqual([
    { name: 'server.released', p: { serverId: s.serverId, previousOwnerId: alice.id, reason: 'unclaimed' } },
  ]);
  expect(await owner(s.serverId)).toBeNull();
  expect((await sendHeartbeat(hub, s)).status).toBe(401);
  expect(await n('SELECT COUNT(*) AS n FROM server_heartbeats WHERE server_id = ?', [s.serverId])).toBe(0);
  expect(await n('SELECT COUNT(*) AS n FROM server_libraries WHERE server_id = ?', [s.serverId])).toBe(0);
  expect((await hub.http().get(`/api/v1/me/servers/${s.serverId}`).set(alice.auth)).status).toBe(404);
  expect(
    await n("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'server.unclaimed' AND target_id = ?", [s.serverId]),
  ).toBe(1);
  // after a release any account can claim it again: same key → same server id
  const again = await pairServer(hub, bob, { key: s.key });
  expect(again.serverId).toBe(s.serverId);
  expect(await owner(s.serverId)).toBe(bob.id);
});

test('re-claim: the same key pairing again (proven with its private key) to another account ends the old claim only when the new one completes', async () => {
  const s = await pairServer(hub, alice, { name: 'Moving' });
  await sendHeartbeat(hub, s).expect(200);
  const dave = await registerUser(hub);
  const share = await hub
    .http()
    .post('/api/v1/me/shares')
    .set(alice.auth)
    .send({ server_id: s.serverId, library_id: null, username: dave.username, permission: 'play' });
  expect(share.status).toBe(201);
  events.length = 0;
  // the server itself asks (its key proof): a public key alone cannot move a claimed server
  const started = await startClaim(hub, s.key, { name: 'Moving', prove: true });
  // still Alice's while the new code is pending: heartbeats keep working
  expect((await sendHeartbeat(hub, s)).status).toBe(200);
  expect(await owner(s.serverId)).toBe(alice.id);
  expect(events).toEqual([]);

  expect((await redeemCode(hub, bob, started.claimCode)).status).toBe(200);
  expect(await owner(s.serverId)).toBe(bob.id);
  expect(events).toEqual([
    { name: 'server.released', p: { serverId: s.serverId, previousOwnerId: alice.id, reason: 'reclaimed' } },
  ]);
  expect(closed).toEqual([[s.serverId, 'server.reclaimed']]);
  expect((await sendHeartbeat(hub, s)).status).toBe(401); // Alice-era enrollment is gone
  expect(await n('SELECT COUNT(*) AS n FROM server_heartbeats WHERE server_id = ?', [s.serverId])).toBe(0);
  const aliceList = await hub.http().get('/api/v1/me/servers').set(alice.auth).expect(200);
  expect(aliceList.body.servers.some((x: { serverId: string }) => x.serverId === s.serverId)).toBe(false);
  const polled = await pollClaim(hub, started.claimId).expect(200);
  expect(polled.body.server_id).toBe(s.serverId);
  const bobList = await hub.http().get('/api/v1/me/servers').set(bob.auth).expect(200);
  expect(bobList.body.servers.find((x: { serverId: string }) => x.serverId === s.serverId)).toMatchObject({
    userId: bob.id,
    serverName: 'Moving',
  });
  expect(
    await n("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'server.reclaimed' AND target_id = ?", [s.serverId]),
  ).toBe(1);
  // the old owner's shares ended (sharing listens to server.released)
  expect(
    await n('SELECT COUNT(*) AS n FROM library_shares WHERE server_id = ? AND revoked_at IS NULL', [s.serverId]),
  ).toBe(0);
  const daves = await hub.http().get('/api/v1/me/shares').set(dave.auth).expect(200);
  expect(daves.body.incoming.filter((x: { status: string }) => x.status === 'active')).toEqual([]);
});

test('the owner re-pairing its own server keeps it (and its shares): only the enrollment rotates', async () => {
  const s = await pairServer(hub, alice);
  events.length = 0;
  const again = await pairServer(hub, alice, { key: s.key });
  expect(again.serverId).toBe(s.serverId);
  expect(events).toEqual([{ name: 'server.enrollment_changed', p: { serverId: s.serverId } }]);
  expect((await sendHeartbeat(hub, s)).status).toBe(401);
  expect((await sendHeartbeat(hub, again)).status).toBe(200);
});

test("a user never sees or touches another user's server (404 everywhere); no token → 401", async () => {
  const s = await pairServer(hub, alice, { name: 'Private' });
  await sendHeartbeat(hub, s).expect(200);
  expect((await hub.http().get(`/api/v1/me/servers/${s.serverId}`).set(bob.auth)).body.code).toBe('server.not_found');
  expect((await hub.http().delete(`/api/v1/me/servers/${s.serverId}`).set(bob.auth)).status).toBe(404);
  expect(await owner(s.serverId)).toBe(alice.id);
  expect((await hub.http().get(`/api/v1/me/libraries?server_id=${s.serverId}`).set(bob.auth)).status).toBe(404);
  const bobs = await hub.http().get('/api/v1/me/libraries').set(bob.auth).expect(200);
  expect(bobs.body.libraries.some((l: { server_id: string }) => l.server_id === s.serverId)).toBe(false);
  expect(
    (await hub.http().get('/api/v1/me/servers').set(bob.auth)).body.servers.some(
      (x: { serverId: string }) => x.serverId === s.serverId,
    ),
  ).toBe(false);
  expect((await hub.http().get('/api/v1/me/libraries?server_id=nope').set(bob.auth)).status).toBe(400);
  expect((await hub.http().get('/api/v1/me/servers/nope').set(alice.auth)).status).toBe(404);
  for (const [m, p] of [
    ['get', '/api/v1/me/servers'],
    ['get', `/api/v1/me/servers/${s.serverId}`],
    ['delete', `/api/v1/me/servers/${s.serverId}`],
    ['get', '/api/v1/me/libraries'],
    ['post', '/api/v1/me/claim-tokens'],
    ['get', '/api/v1/admin/servers'],
    ['post', `/api/v1/admin/servers/${s.serverId}/release`],
  ] as const) {
    expect([p, (await hub.http()[m](p)).status]).toEqual([p, 401]);
  }
  expect(await owner(s.serverId)).toBe(alice.id);
});

test('admin: paged list with owner/status filters; release is audited; non-admins get 403', async () => {
  const s = await pairServer(hub, bob, { name: 'Admin target' });
  await sendHeartbeat(hub, s).expect(200);
  const all = await hub.http().get('/api/v1/admin/servers?per_page=2').set(admin.auth).expect(200);
  expect(all.body).toMatchObject({ page: 1, per_page: 2, total: expect.any(Number) });
  expect(all.body.items).toHaveLength(2);
  const page2 = await hub.http().get('/api/v1/admin/servers?per_page=2&page=2').set(admin.auth).expect(200);
  expect(page2.body.items[0].id).not.toBe(all.body.items[0].id);
  const bobs = await hub.http().get(`/api/v1/admin/servers?owner=${bob.id}&per_page=200`).set(admin.auth).expect(200);
  expect(bobs.body.items.length).toBeGreaterThan(0);
  expect(bobs.body.items.every((i: { owner: { id: string } }) => i.owner.id === bob.id)).toBe(true);
  const mine = bobs.body.items.find((i: { id: string }) => i.id === s.serverId);
  expect(mine).toMatchObject({
    name: 'Admin target',
    status: 'online',
    owner: { id: bob.id, username: bob.username },
    relay_active: false,
  });
  const byName = await hub
    .http()
    .get('/api/v1/admin/servers?q=ADMIN%20TARGET&per_page=200')
    .set(admin.auth)
    .expect(200);
  expect(byName.body.items.map((i: { id: string }) => i.id)).toContain(s.serverId);
  // `_` and `%` in the search text are literal characters, not wildcards, on both databases
  const odd = await pairServer(hub, bob, { name: 'nas_50%' });
  const oddHit = await hub
    .http()
    .get(`/api/v1/admin/servers?q=${encodeURIComponent('NAS_50%')}&per_page=200`)
    .set(admin.auth)
    .expect(200);
  expect(oddHit.body.items.map((i: { id: string }) => i.id)).toEqual([odd.serverId]);
  for (const wild of ['Admin_target', 'Admin%target']) {
    const r = await hub
      .http()
      .get(`/api/v1/admin/servers?q=${encodeURIComponent(wild)}&per_page=200`)
      .set(admin.auth)
      .expect(200);
    expect([wild, r.body.items.some((i: { id: string }) => i.id === s.serverId)]).toEqual([wild, false]);
  }
  const released = await hub
    .http()
    .get('/api/v1/admin/servers?status=released&per_page=200')
    .set(admin.auth)
    .expect(200);
  expect(
    released.body.items.every((i: { owner: unknown; status: string }) => i.owner === null && i.status === 'released'),
  ).toBe(true);
  for (const bad of ['status=weird', 'per_page=0', 'owner=not-a-uuid', 'page=abc', 'extra=1']) {
    expect([bad, (await hub.http().get(`/api/v1/admin/servers?${bad}`).set(admin.auth)).status]).toEqual([bad, 400]);
  }
  expect((await hub.http().get('/api/v1/admin/servers').set(bob.auth)).status).toBe(403);
  expect((await hub.http().post(`/api/v1/admin/servers/${s.serverId}/release`).set(bob.auth)).status).toBe(403);
  expect(await owner(s.serverId)).toBe(bob.id);

  const r = await hub.http().post(`/api/v1/admin/servers/${s.serverId}/release`).set(admin.auth).expect(200);
  expect(r.body).toEqual({ server_id: s.serverId, previous_owner_id: bob.id, released: true });
  expect(events).toEqual([
    { name: 'server.released', p: { serverId: s.serverId, previousOwnerId: bob.id, reason: 'released' } },
  ]);
  expect((await sendHeartbeat(hub, s)).status).toBe(401);
  const audit = await hub.ds.query(
    "SELECT actor_type, actor_id FROM audit_logs WHERE action = 'server.released' AND target_id = ?",
    [s.serverId],
  );
  expect(audit).toEqual([{ actor_type: 'admin', actor_id: admin.id }]);
  expect((await hub.http().post(`/api/v1/admin/servers/${s.serverId}/release`).set(admin.auth)).body.code).toBe(
    'server.not_claimed',
  );
  expect(
    (await hub.http().post('/api/v1/admin/servers/11111111-1111-4111-8111-111111111111/release').set(admin.auth))
      .status,
  ).toBe(404);
});

test('the detail page shows the open relay session while the tunnel is up', async () => {
  const s = await pairServer(hub, alice, { name: 'Tunnelled' });
  const none = await hub.http().get(`/api/v1/me/servers/${s.serverId}`).set(alice.auth).expect(200);
  expect(none.body.relay_session).toBeNull();
  const now = hub.clock.now();
  await hub.ds.query(
    "INSERT INTO relay_sessions (id, server_id, tunnel_id, worker_node, remote_ip, flow_control, opened_at, closed_at, last_frame_at, bytes_in, bytes_out, close_reason) VALUES (?, ?, ?, 'node-1', NULL, 'plain', ?, NULL, ?, 10, 20, NULL)",
    ['22222222-2222-4222-8222-222222222222', s.serverId, '33333333-3333-4333-8333-333333333333', now - 5000, now],
  );
  active.add(s.serverId);
  const d = await hub.http().get(`/api/v1/me/servers/${s.serverId}`).set(alice.auth).expect(200);
  expect(d.body.server.relay_active).toBe(true);
  expect(d.body.relay_session).toEqual({
    id: '22222222-2222-4222-8222-222222222222',
    worker_node: 'node-1',
    opened_at: new Date(now - 5000).toISOString(),
    bytes_in: 10,
    bytes_out: 20,
    last_frame_at: Math.floor(now / 1000),
  });
  active.delete(s.serverId);
});

test('deleting an account releases its servers', async () => {
  const carol = await registerUser(hub);
  const s = await pairServer(hub, carol);
  await hub.http().delete(`/api/v1/admin/users/${carol.id}`).set(admin.auth).expect(204);
  expect(await owner(s.serverId)).toBeNull();
  expect(events.some((e) => e.p.serverId === s.serverId && e.p.reason === 'released')).toBe(true);
  expect((await sendHeartbeat(hub, s)).status).toBe(401);
});

test('a proven key is the identity: a claimed server re-paired to another account by a proven claim keeps one row', async () => {
  const key = makeServerKey();
  await pairServer(hub, alice, { key });
  await pairServer(hub, bob, { key, prove: true });
  expect(await n('SELECT COUNT(*) AS n FROM servers WHERE key_thumbprint = ?', [key.thumbprint])).toBe(1);
});
