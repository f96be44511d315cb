import { request as httpRequest } from 'node:http';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { proxyUrl, rawRequest, relayHub, sleep, startAgent, waitFor } from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';
import { StreamLeasesService } from '../src/relay/limits/stream-leases.service.js';

/**
 * No single user or server takes the hub-wide stream cap: with HUB_MAX_RELAY_SESSIONS=40 and the
 * default fair shares, a user may hold 8 streams and a server 16; a request that gets no first
 * byte gives its slot back at the TTFB timeout.
 */
let hub: TestHub;
let attacker: TestUser;
let victim: TestUser;
let origin: TestOrigin;
const agents: RelayAgent[] = [];
let attackerServer: PairedServer;
let victimServer: PairedServer;

beforeAll(async () => {
  hub = await relayHub({ HUB_MAX_RELAY_SESSIONS: '40', HUB_RELAY_TTFB_TIMEOUT: '2', HUB_RELAY_REQUEST_LIMIT: '0' });
  attacker = await registerUser(hub);
  victim = await registerUser(hub);
  origin = await startTestOrigin();
  attackerServer = await pairServer(hub, attacker);
  victimServer = await pairServer(hub, victim);
  agents.push(await startAgent(hub, attackerServer, origin.url), await startAgent(hub, victimServer, origin.url));
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub.close();
  await origin.close();
});

interface Opened {
  status: number;
  code?: string;
  close: () => void;
}

/** A /slow stream (a chunk every 50 ms) held open until close(); refusals resolve with their code. */
function openSlow(u: TestUser, s: PairedServer, id: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(proxyUrl(hub, s.serverId, `/slow/${id}`), { headers: u.auth, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(b).code, close: () => undefined }));
        return;
      }
      res.once('data', () => resolve({ status: 200, close: () => req.destroy() }));
    });
    req.on('error', reject);
    req.end();
  });
}

const leases = () => hub.get(StreamLeasesService).localCount;
const closeAll = async (xs: Opened[]) => {
  for (const x of xs) x.close();
  await waitFor(() => leases() === 0, 5000, 'leases released');
};

test('one user fills their own cap (503 relay.stream_limit); another user still gets through', async () => {
  const mine = await Promise.all(Array.from({ length: 14 }, (_, i) => openSlow(attacker, attackerServer, `a-${i}`)));
  const ok = mine.filter((r) => r.status === 200);
  expect(ok).toHaveLength(8);
  expect(mine.filter((r) => r.status !== 200).map((r) => [r.status, r.code])).toEqual(
    Array(6).fill([503, 'relay.stream_limit']),
  );
  const other = await openSlow(victim, victimServer, 'v-1');
  expect(other.status).toBe(200);
  const echo = await rawRequest(proxyUrl(hub, victimServer.serverId, '/echo'), { headers: victim.auth });
  expect(echo.status).toBe(200);
  await closeAll([...ok, other]);
});

test('one server takes at most its share: 503 relay.server_stream_limit; other servers keep working', async () => {
  const helpers = await Promise.all([1, 2].map(() => registerUser(hub)));
  for (const h of helpers) {
    await hub
      .http()
      .post('/api/v1/me/shares')
      .set(attacker.auth)
      .send({ server_id: attackerServer.serverId, username: h.username, permission: 'download' })
      .expect(201);
  }
  const users = [attacker, ...helpers];
  const all = await Promise.all(
    Array.from({ length: 24 }, (_, i) => openSlow(users[i % 3]!, attackerServer, `s-${i}`)),
  );
  const ok = all.filter((r) => r.status === 200);
  expect(ok).toHaveLength(16);
  expect(all.filter((r) => r.status !== 200).map((r) => [r.status, r.code])).toEqual(
    Array(8).fill([503, 'relay.server_stream_limit']),
  );
  expect((await rawRequest(proxyUrl(hub, victimServer.serverId, '/echo'), { headers: victim.auth })).status).toBe(200);
  await closeAll(ok);
});

test('a request that never gets a first byte (stalled upload) gives its slot back at the TTFB timeout with 504', async () => {
  const answer = new Promise<{ status: number; code: string }>((resolve, reject) => {
    const req = httpRequest(
      proxyUrl(hub, attackerServer.serverId, '/upload'),
      {
        method: 'POST',
        headers: { ...attacker.auth, 'content-type': 'application/octet-stream', 'content-length': '100000' },
        agent: false,
      },
      (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(b).code }));
      },
    );
    req.on('error', reject);
    req.write(Buffer.alloc(10, 1)); // ...and nothing more, ever
  });
  await waitFor(() => leases() === 1, 3000, 'the upload admitted');
  const t0 = Date.now();
  expect(await answer).toEqual({ status: 504, code: 'relay.timeout' });
  expect(Date.now() - t0).toBeLessThan(12_000); // TTFB 2 s (+ the 1 s timeout tick; margin for a loaded machine)
  await sleep(50);
  expect(leases()).toBe(0);
}, 40_000);
