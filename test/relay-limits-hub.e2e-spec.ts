import { request as httpRequest } from 'node:http';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import type { PairedServer } from './helpers/servers.js';
import { rawRequest, waitFor, proxyUrl } from './helpers/relay.js';
import { sha256, VIDEO } from './helpers/relay-origin.js';
import { StreamLeasesService } from '../src/relay/limits/stream-leases.service.js';
import { ownerRelay, type OwnerRelay } from './helpers/owner-relay.js';

/** Hub-wide limits from the environment: HUB_MAX_RELAY_SESSIONS, HUB_RELAY_STREAM_MAX_BPS, HUB_RELAY_REQUEST_LIMIT. */
let hub: TestHub;
let owner: TestUser;
let server: PairedServer;

let setup: OwnerRelay;
beforeAll(async () => {
  ({ hub, owner, server } = setup = await ownerRelay({
    HUB_MAX_RELAY_SESSIONS: '3',
    HUB_RELAY_STREAM_MAX_BPS: '16000000',
    HUB_RELAY_REQUEST_LIMIT: '12',
  }));
});
afterAll(() => setup.close());

const proxy = (path: string) => proxyUrl(hub, server.serverId, path);

function openSlow(
  u: TestUser,
  id: string,
): Promise<{ status: number; code?: string; retryAfter?: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      proxy(`/slow/${id}`),
      { headers: { Authorization: `Bearer ${u.token}` }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              code: JSON.parse(b).code,
              retryAfter: res.headers['retry-after'] as string,
              close: () => undefined,
            }),
          );
          return;
        }
        res.once('data', () => resolve({ status: 200, close: () => req.destroy() }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('HUB_MAX_RELAY_SESSIONS: concurrent admissions have exactly as many winners as slots (503 relay.stream_limit)', async () => {
  const users = [owner, ...(await Promise.all([1, 2, 3].map(() => registerUser(hub))))];
  // the other users get whole-server shares so they may stream
  for (const u of users.slice(1)) {
    await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: server.serverId, library_id: null, username: u.username, permission: 'download' })
      .expect(201);
  }
  const all = await Promise.all(Array.from({ length: 8 }, (_, i) => openSlow(users[i % users.length]!, `race-${i}`)));
  const ok = all.filter((r) => r.status === 200);
  const refused = all.filter((r) => r.status !== 200);
  expect(ok).toHaveLength(3);
  expect(refused.map((r) => [r.status, r.code, r.retryAfter])).toEqual(Array(5).fill([503, 'relay.stream_limit', '5']));
  expect(Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_stream_leases'))[0].n)).toBe(3);
  for (const r of ok) r.close();
  await waitFor(() => hub.get(StreamLeasesService).localCount === 0, 5000, 'leases released');
  expect(Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_stream_leases'))[0].n)).toBe(0);
  const again = await openSlow(owner, 'race-after');
  expect(again.status).toBe(200);
  again.close();
  await waitFor(() => hub.get(StreamLeasesService).localCount === 0, 5000, 'leases released');
});

test('leases of a hub process that died stop counting once stale', async () => {
  const now = hub.clock.now();
  const ids = ['a', 'b', 'c'].map((x) => `00000000-0000-4000-8000-00000000000${x}`);
  for (const id of ids) {
    await hub.ds.query(
      'INSERT INTO relay_stream_leases (id, user_id, server_id, kind, node, started_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, owner.id, server.serverId, 'http', 'dead-node:1:x', now, now],
    );
  }
  expect((await openSlow(owner, 'dead-1')).code).toBe('relay.stream_limit');
  hub.clock.advance(121_000);
  await hub.get(StreamLeasesService).refresh();
  expect(Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_stream_leases'))[0].n)).toBe(0);
  hub.clock.advance(-121_000);
  const r = await openSlow(owner, 'dead-2');
  expect(r.status).toBe(200);
  r.close();
  await waitFor(() => hub.get(StreamLeasesService).localCount === 0, 5000, 'leases released');
});

test('HUB_RELAY_STREAM_MAX_BPS paces each stream (loosely) without losing a byte', async () => {
  const t0 = Date.now();
  const r = await rawRequest(proxy('/video.mp4'), { headers: { Authorization: `Bearer ${owner.token}` } });
  const ms = Date.now() - t0;
  expect(sha256(r.body)).toBe(sha256(VIDEO));
  // 4.19 MB at 2 MB/s with a 2 MB burst: ≥ ~1.1 s; generous upper bound
  expect(ms).toBeGreaterThan(800);
  expect(ms).toBeLessThan(15000);
});

test('HUB_RELAY_REQUEST_LIMIT: relayed requests per user per minute → 429 relay.rate_limited with Retry-After', async () => {
  const u = await registerUser(hub);
  await hub
    .http()
    .post('/api/v1/me/shares')
    .set(owner.auth)
    .send({ server_id: server.serverId, library_id: null, username: u.username, permission: 'view' })
    .expect(201);
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof rawRequest>> | undefined;
  for (let i = 0; i < 13; i++) {
    last = await rawRequest(proxy('/api/v1/libraries'), { headers: { Authorization: `Bearer ${u.token}` } });
    statuses.push(last.status);
  }
  expect(statuses).toEqual([...Array(12).fill(200), 429]);
  expect(JSON.parse(last!.body.toString()).code).toBe('relay.rate_limited');
  expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  hub.clock.advance(61_000);
  try {
    const { reauth } = await import('./helpers/sharing-fixtures.js');
    await reauth(hub, u);
    expect(
      (await rawRequest(proxy('/api/v1/libraries'), { headers: { Authorization: `Bearer ${u.token}` } })).status,
    ).toBe(200);
  } finally {
    hub.clock.advance(-61_000);
  }
});
