import { request as httpRequest, type ClientRequest } from 'node:http';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { proxyUrl, startAgent } from './helpers/relay.js';
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
