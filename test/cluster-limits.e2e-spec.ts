import { request as httpRequest, type ClientRequest } from 'node:http';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { proxyUrl, rawRequest, sleep, startAgent } from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import { describeCluster, startCluster, type TestCluster } from './helpers/cluster.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

const CAP = 4;

/**
 * HUB_MAX_RELAY_SESSIONS is one number for the whole cluster: streams opened at once on two
 * replicas (each relaying its own server's tunnel) are admitted up to the cap and no further.
 */
describeCluster('cluster mode: the hub-wide stream cap holds across replicas', () => {
  let c: TestCluster;
  let a: TestHub;
  let b: TestHub;
  let owner: TestUser;
  let origin: TestOrigin;
  let s1: PairedServer;
  let s2: PairedServer;
  const agents: RelayAgent[] = [];

  beforeAll(async () => {
    c = await startCluster(2, { HUB_MAX_RELAY_SESSIONS: String(CAP) });
    [a, b] = c.hubs;
    owner = await registerUser(a);
    origin = await startTestOrigin();
    s1 = await pairServer(a, owner);
    s2 = await pairServer(b, owner);
    agents.push(await startAgent(a, s1, origin.url), await startAgent(b, s2, origin.url));
  }, 60_000);
  afterAll(async () => {
    for (const ag of agents) await ag.stop();
    await c?.close();
    await origin?.close();
  });

  /** A slow endless stream: resolves with its status once the head is in; the request is kept to end it. */
  function open(hub: TestHub, s: PairedServer, id: string, reqs: ClientRequest[]): Promise<number> {
    return new Promise((resolve) => {
      const req = httpRequest(
        proxyUrl(hub, s.serverId, `/slow/${id}`),
        { headers: owner.auth, agent: false },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
        },
      );
      req.on('error', () => resolve(-1));
      req.end();
      reqs.push(req);
    });
  }

  test(`${CAP + 4} streams at once over two replicas: exactly ${CAP} admitted, the rest 503`, async () => {
    const reqs: ClientRequest[] = [];
    try {
      const statuses = await Promise.all(
        Array.from({ length: CAP + 4 }, (_, i) =>
          i % 2 ? open(a, s1, `cap-a-${i}`, reqs) : open(b, s2, `cap-b-${i}`, reqs),
        ),
      );
      expect(statuses.filter((x) => x === 200)).toHaveLength(CAP);
      expect(statuses.filter((x) => x === 503)).toHaveLength(4);
    } finally {
      for (const r of reqs) r.destroy();
    }
  });
});

const THROTTLE_BPS = 4_000_000; // 500 kB/s for the user, hub-wide

/**
 * HUB_RELAY_USER_THROTTLE_BPS is one rate per user for the whole cluster: two downloads of one
 * user, relayed by two replicas, share it (each replica takes its share by the user's streams).
 */
describeCluster('cluster mode: a user throttle is shared by the replicas', () => {
  let c: TestCluster;
  let owner: TestUser;
  let origin: TestOrigin;
  const agents: RelayAgent[] = [];
  const servers: PairedServer[] = [];

  beforeAll(async () => {
    c = await startCluster(2, { HUB_RELAY_USER_THROTTLE_BPS: String(THROTTLE_BPS) });
    owner = await registerUser(c.hubs[0]);
    origin = await startTestOrigin();
    for (const h of c.hubs) {
      const s = await pairServer(h, owner);
      servers.push(s);
      agents.push(await startAgent(h, s, origin.url));
    }
  }, 60_000);
  afterAll(async () => {
    for (const ag of agents) await ag.stop();
    await c?.close();
    await origin?.close();
  });

  /** Bytes of /big.mkv received through `hub` between `skipMs` and `skipMs + ms` after the head. */
  function received(hub: TestHub, s: PairedServer, skipMs: number, ms: number): Promise<number> {
    return new Promise((resolve, reject) => {
      let n = 0;
      let counting = false;
      const req = httpRequest(proxyUrl(hub, s.serverId, '/big.mkv'), { headers: owner.auth, agent: false }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
        res.on('data', (d: Buffer) => (n += counting ? d.length : 0));
        setTimeout(() => (counting = true), skipMs);
        setTimeout(() => {
          req.destroy();
          resolve(n);
        }, skipMs + ms);
      });
      req.on('error', () => undefined);
      req.end();
    });
  }

  test('two streams on two replicas move about one user rate, not two', async () => {
    // first the bursts and the second or two until each replica counts the other's stream; then 6 s measured
    const seconds = 6;
    const [x, y] = await Promise.all(c.hubs.map((h, i) => received(h, servers[i], 3000, seconds * 1000)));
    const rate = THROTTLE_BPS / 8;
    // two separate throttles would move twice the rate
    expect(x + y).toBeLessThan(rate * seconds * 1.5);
    expect(x).toBeGreaterThan(0);
    expect(y).toBeGreaterThan(0);
  }, 30_000);
});

const USER_CAP = 2;
const PER_MINUTE = 40;

/**
 * The per-user stream cap and HUB_RELAY_REQUEST_LIMIT are per user for the whole cluster, whichever
 * replicas the user's requests enter.
 */
describeCluster('cluster mode: per-user stream cap and request rate across replicas', () => {
  let c: TestCluster;
  let a: TestHub;
  let b: TestHub;
  let origin: TestOrigin;
  const agents: RelayAgent[] = [];

  beforeAll(async () => {
    c = await startCluster(2, {
      HUB_RELAY_USER_MAX_STREAMS: String(USER_CAP),
      HUB_RELAY_REQUEST_LIMIT: String(PER_MINUTE),
    });
    [a, b] = c.hubs;
    origin = await startTestOrigin();
  }, 60_000);
  afterAll(async () => {
    for (const ag of agents) await ag.stop();
    await c?.close();
    await origin?.close();
  });

  async function userWithServerOn(hub: TestHub): Promise<{ user: TestUser; server: PairedServer }> {
    const user = await registerUser(hub);
    const server = await pairServer(hub, user);
    agents.push(await startAgent(hub, server, origin.url));
    return { user, server };
  }

  test(`one user's streams on two replicas: exactly ${USER_CAP} admitted, the rest 503 relay.stream_limit`, async () => {
    const user = await registerUser(a);
    const s1 = await pairServer(a, user);
    const s2 = await pairServer(b, user);
    agents.push(await startAgent(a, s1, origin.url), await startAgent(b, s2, origin.url));
    const reqs: ClientRequest[] = [];
    const codes: string[] = [];
    function open(hub: TestHub, s: PairedServer, id: string): Promise<number> {
      return new Promise((resolve) => {
        const req = httpRequest(
          proxyUrl(hub, s.serverId, `/slow/${id}`),
          { headers: user.auth, agent: false },
          (res) => {
            resolve(res.statusCode ?? 0);
            if (res.statusCode === 200) return res.resume();
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => codes.push((JSON.parse(body) as { code: string }).code));
          },
        );
        req.on('error', () => resolve(-1));
        req.end();
        reqs.push(req);
      });
    }
    try {
      const statuses = await Promise.all(
        Array.from({ length: USER_CAP + 4 }, (_, i) => (i % 2 ? open(a, s1, `u-a-${i}`) : open(b, s2, `u-b-${i}`))),
      );
      expect(statuses.filter((x) => x === 200)).toHaveLength(USER_CAP);
      expect(statuses.filter((x) => x === 503)).toHaveLength(4);
      await sleep(100);
      expect(new Set(codes)).toEqual(new Set(['relay.stream_limit']));
    } finally {
      for (const r of reqs) r.destroy();
    }
  });

  test('requests counted on A count on B: a burst entering B gets only what is left of the minute', async () => {
    const { user, server } = await userWithServerOn(a);
    const first = 30;
    for (let i = 0; i < first; i++) {
      expect((await rawRequest(proxyUrl(a, server.serverId, `/echo?n=${i}`), { headers: user.auth })).status).toBe(200);
    }
    await sleep(1200); // A has added its count to the shared row
    // B has never seen this user: the whole burst arrives before B's first periodic sync
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rawRequest(proxyUrl(b, server.serverId, `/echo?m=${i}`), { headers: user.auth }),
      ),
    );
    const statuses = burst.map((r) => r.status);
    // the user's stream cap (2) also holds in a burst: a request counted by the rate may still get 503
    expect(statuses.filter((x) => x === 429)).toHaveLength(20 - (PER_MINUTE - first));
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThan(0);
    const refused = burst.find((r) => r.status === 429)!;
    expect(JSON.parse(refused.body.toString()).code).toBe('relay.rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  }, 30_000);
});
