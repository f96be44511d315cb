import { readFileSync } from 'node:fs';
import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { heartbeatBody, pairServer, PairedServer, PROTO, sendHeartbeat } from './helpers/servers.js';
import { ServerReaperService } from '../src/servers/reaper.service.js';

let hub: TestHub;
let alice: TestUser;
let s: PairedServer;
beforeAll(async () => {
  hub = await createTestHub();
  await registerUser(hub);
  alice = await registerUser(hub);
  s = await pairServer(hub, alice, { name: 'HB' });
});
afterAll(async () => {
  await hub.close();
});

const q = (sql: string, p: unknown[] = []) => hub.ds.query(sql, p);
const n = async (sql: string, p: unknown[] = []) => Number((await q(sql, p))[0].n);
const libs = async (id = s.serverId) =>
  (
    await q(
      'SELECT library_id, library_name, updated_at FROM server_libraries WHERE server_id = ? ORDER BY library_id',
      [id],
    )
  ).map((r: { library_id: string; library_name: string; updated_at: string | number }) => ({
    id: r.library_id,
    name: r.library_name,
    at: Number(r.updated_at),
  }));
/** the heartbeat window is 30/min: move on a minute before each burst */
const nextWindow = () => hub.clock.advance(61_000);
const user = async () => {
  const r = await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: alice.username, password: alice.password })
    .expect(200);
  return { Authorization: `Bearer ${r.body.access_token}` };
};

test('the shared DTO vector (lenient libraries) is accepted; presence, version, candidates, history and libraries are stored', async () => {
  const vectors = JSON.parse(readFileSync(new URL('./fixtures/relay-vectors.json', import.meta.url), 'utf8'))
    .vectors as { name: string; input: Record<string, unknown>; php_result: { value: Record<string, unknown> } }[];
  const v = vectors.find((x) => x.name === 'dto.heartbeat_lenient_drops_bad_library')!;
  hub.clock.advance(5_000);
  const r = await hub
    .http()
    .post(`/api/v1/servers/${s.serverId}/heartbeat`)
    .set(s.auth)
    .send({ ...v.input, serverId: s.serverId })
    .expect(200);
  expect(r.body).toMatchObject({ status: 'ok', server_id: s.serverId, next_heartbeat_in: 60, libraries_changed: true });
  const row = (
    await q('SELECT status, version, last_seen_at, hostname_candidates FROM servers WHERE id = ?', [s.serverId])
  )[0];
  expect(row).toMatchObject({ status: 'online', version: '0.45.0', hostname_candidates: '["10.0.0.5"]' });
  expect(Number(row.last_seen_at)).toBe(hub.clock.now());
  expect((await libs()).map(({ id, name }) => ({ id, name }))).toEqual(
    (v.php_result.value.libraries as { library_id: string; library_name: string }[]).map((l) => ({
      id: l.library_id,
      name: l.library_name,
    })),
  );
  const h = await q(
    'SELECT uptime_seconds, active_sessions, active_transcodes, sent_at, received_at FROM server_heartbeats WHERE server_id = ?',
    [s.serverId],
  );
  expect(h).toHaveLength(1);
  expect(h[0]).toMatchObject({ active_sessions: 2, active_transcodes: 1 });
  expect(Number(h[0].uptime_seconds)).toBe(3600);
  expect(Number(h[0].sent_at)).toBe(1780000000 * 1000);
  const auth = await user();
  const mine = await hub.http().get('/api/v1/me/libraries').set(auth).expect(200);
  expect(mine.body).toEqual({ libraries: [{ id: 'lib-1', name: 'Movies', server_id: s.serverId, server_name: 'HB' }] });
  expect(
    (await hub.http().get(`/api/v1/me/libraries?server_id=${s.serverId}`).set(auth).expect(200)).body.libraries,
  ).toHaveLength(1);
  const list = await hub.http().get('/api/v1/me/servers').set(auth).expect(200);
  expect(list.body.servers[0].libraryCount).toBe(1);
});

test('the library list is rewritten only when its sorted hash changes', async () => {
  nextWindow();
  const list = [
    { library_id: 'b', library_name: 'Shows' },
    { library_id: 'a', library_name: 'Movies' },
  ];
  expect((await sendHeartbeat(hub, s, { libraries: list })).body.libraries_changed).toBe(true);
  const first = await libs();
  expect(first.map((l) => l.id)).toEqual(['a', 'b']);
  hub.clock.advance(60_000);
  const same = await sendHeartbeat(hub, s, { libraries: [...list].reverse() });
  expect(same.body.libraries_changed).toBe(false);
  expect(await libs()).toEqual(first); // untouched, same updated_at
  // absent libraries key: keep the list
  const body = heartbeatBody(s.serverId);
  delete body.libraries;
  await hub.http().post(`/api/v1/servers/${s.serverId}/heartbeat`).set(s.auth).send(body).expect(200);
  expect(await libs()).toEqual(first);
  hub.clock.advance(1_000);
  // renamed one, removed one, added one
  const changed = await sendHeartbeat(hub, s, {
    libraries: [
      { library_id: 'a', library_name: 'Films' },
      { id: 'c', name: 'Music', item_count: 5 },
    ],
  });
  expect(changed.body.libraries_changed).toBe(true);
  const now = await libs();
  expect(now.map(({ id, name }) => ({ id, name }))).toEqual([
    { id: 'a', name: 'Films' },
    { id: 'c', name: 'Music' },
  ]);
  expect(now[0].at).toBe(hub.clock.now());
  await sendHeartbeat(hub, s, { libraries: [] }).expect(200);
  expect(await libs()).toEqual([]);
  expect(Number((await q('SELECT library_count FROM servers WHERE id = ?', [s.serverId]))[0].library_count)).toBe(0);
});

test('snake_case (pairing doc) heartbeats are accepted', async () => {
  nextWindow();
  await hub
    .http()
    .post(`/api/v1/servers/${s.serverId}/heartbeat`)
    .set(s.auth)
    .send({
      server_id: s.serverId,
      version: '0.46.0',
      timestamp: 1767225700,
      uptime_seconds: 7,
      active_sessions: 0,
      active_transcodes: 0,
      hostname_candidates: ['nas.alice.com'],
      libraries: [{ id: 'x', name: 'X', item_count: 1 }],
      capabilities: ['direct-play', 'transcode-h264'],
    })
    .expect(200);
  const row = (await q('SELECT version, capabilities FROM servers WHERE id = ?', [s.serverId]))[0];
  expect(row).toEqual({ version: '0.46.0', capabilities: '["direct-play","transcode-h264"]' });
});

test('junk fields → 400 and nothing is stored', async () => {
  nextWindow();
  const before = await n('SELECT COUNT(*) AS n FROM server_heartbeats');
  const server = (await q('SELECT * FROM servers WHERE id = ?', [s.serverId]))[0];
  const junk: Record<string, unknown>[] = [
    { uptimeSeconds: 'abc' },
    { uptimeSeconds: -1 },
    { activeSessions: 1.5 },
    { activeTranscodes: null },
    { activeTranscodes: true },
    { version: 5 },
    { version: 'x'.repeat(65) },
    { version: 'bad\u0000' },
    { timestamp: '2026' },
    { hostnameCandidates: 'nas.local' },
    { hostnameCandidates: [1, 2] },
    { libraries: 'Movies' },
    { libraries: { a: 1 } },
    { serverId: 42 },
    { capabilities: [7] },
  ];
  for (const j of junk) {
    const r = await sendHeartbeat(hub, s, j);
    expect([JSON.stringify(j), r.status, r.body.code]).toEqual([JSON.stringify(j), 400, 'request.validation_failed']);
  }
  const noVersion = heartbeatBody(s.serverId);
  delete noVersion.version;
  const r = await hub.http().post(`/api/v1/servers/${s.serverId}/heartbeat`).set(s.auth).send(noVersion);
  expect(r.body).toEqual({ error: 'HeartbeatDto "version" is required.', code: 'request.validation_failed' });
  expect((await hub.http().post(`/api/v1/servers/${s.serverId}/heartbeat`).set(s.auth).send([1])).status).toBe(400);
  expect(await n('SELECT COUNT(*) AS n FROM server_heartbeats')).toBe(before);
  expect((await q('SELECT * FROM servers WHERE id = ?', [s.serverId]))[0]).toEqual(server);
});

test('oversize lists are bounded', async () => {
  nextWindow();
  const hosts = Array.from({ length: 100 }, (_x, i) => `10.0.0.${i}`);
  const many = Array.from({ length: 600 }, (_x, i) => ({
    library_id: `lib-${String(i).padStart(3, '0')}`,
    library_name: `L${i}`,
  }));
  many[0] = { library_id: 'long', library_name: 'n'.repeat(1000) };
  many[1] = { library_id: 'i'.repeat(300), library_name: 'dropped' };
  await sendHeartbeat(hub, s, { hostnameCandidates: hosts, libraries: many }).expect(200);
  const row = (await q('SELECT hostname_candidates, library_count FROM servers WHERE id = ?', [s.serverId]))[0];
  expect(JSON.parse(row.hostname_candidates)).toHaveLength(32);
  expect(Number(row.library_count)).toBe(500);
  const stored = await libs();
  expect(stored).toHaveLength(500);
  expect(stored.find((l) => l.id === 'long')!.name).toHaveLength(255);
  expect(stored.some((l) => l.name === 'dropped')).toBe(false);
});

test('30 heartbeats a minute per server; then 429 until the window passes', async () => {
  nextWindow();
  for (let i = 0; i < 30; i++) expect((await sendHeartbeat(hub, s)).status).toBe(200);
  const r = await sendHeartbeat(hub, s);
  expect([r.status, r.body.code]).toEqual([429, 'rate.limited']);
  expect(r.headers['retry-after']).toBeDefined();
  nextWindow();
  expect((await sendHeartbeat(hub, s)).status).toBe(200);
});

test('history is bounded (100 per server); the detail page shows the newest 20', async () => {
  for (let i = 0; i < 120; i++) {
    if (i % 30 === 0) nextWindow();
    hub.clock.advance(1_000);
    await sendHeartbeat(hub, s, { uptimeSeconds: 10_000 + i }).expect(200);
  }
  expect(await n('SELECT COUNT(*) AS n FROM server_heartbeats WHERE server_id = ?', [s.serverId])).toBe(100);
  const d = await hub
    .http()
    .get(`/api/v1/me/servers/${s.serverId}`)
    .set(await user())
    .expect(200);
  expect(d.body.heartbeat_history).toHaveLength(20);
  expect(d.body.heartbeat_history[0]).toMatchObject({
    uptime_seconds: 10_119,
    received_at: Math.floor(hub.clock.now() / 1000),
  });
  expect(d.body.heartbeat_history[19].uptime_seconds).toBe(10_100);
  expect(d.body.server).toMatchObject({ id: s.serverId, server_name: 'HB', status: 'online', relay_active: false });
  expect(d.body.relay_session).toBeNull();
});

test('reaper: 180 s without a heartbeat → offline (one conditional UPDATE, safe with two processes at once)', async () => {
  nextWindow();
  await sendHeartbeat(hub, s).expect(200);
  const reaper = hub.get(ServerReaperService);
  hub.clock.advance(179_000);
  expect(await reaper.reap()).toBe(0);
  expect((await q('SELECT status FROM servers WHERE id = ?', [s.serverId]))[0].status).toBe('online');
  hub.clock.advance(2_000);
  // a second hub process on the same database reaps at the same moment: the server flips exactly once
  const other = await createTestHub({ dataDir: hub.dataDir, dbUrl: hub.cfg.db.url, now: hub.clock.now() });
  try {
    const [x, y] = await Promise.all([reaper.reap(), other.get(ServerReaperService).reap()]);
    expect(x + y).toBe(1);
  } finally {
    await other.close();
  }
  const list = await hub
    .http()
    .get('/api/v1/me/servers')
    .set(await user())
    .expect(200);
  expect(list.body.servers[0].status).toBe('offline');
  await sendHeartbeat(hub, s).expect(200);
  expect((await q('SELECT status FROM servers WHERE id = ?', [s.serverId]))[0].status).toBe('online');
});

test('an enrollment minted by another hub is refused (401)', async () => {
  const h2 = await createTestHub();
  try {
    await registerUser(h2);
    const foreign = await pairServer(h2, await registerUser(h2));
    const r = await hub
      .http()
      .post(`/api/v1/servers/${s.serverId}/heartbeat`)
      .set(PROTO)
      .set('Authorization', `Bearer ${foreign.enrollmentJwt}`)
      .send(heartbeatBody(s.serverId));
    expect(r.status).toBe(401);
  } finally {
    await h2.close();
  }
});
