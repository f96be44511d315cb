import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import { registerAdmin, registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { rmSync } from 'node:fs';
import { proxyUrl, relayHub, startAgent, waitFor } from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import { describeCluster, freePort, REDIS_URL, startCluster, type TestCluster } from './helpers/cluster.js';
import { TunnelRegistry } from '../src/relay/tunnel/registry.js';
import { RemoteChangeWatch } from '../src/relay/tunnel/remote-changes.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

/**
 * Two replicas in cluster mode on one MariaDB database and the machine's Redis: the replicas
 * know each other, a tunnel on one is known on the other, the newest verified tunnel of a server
 * wins wherever it is, and a change made through one replica ends live streams on the other
 * through Redis pub/sub (the once-a-second database look is switched off to prove it).
 */
describeCluster('cluster mode: presence and pub/sub', () => {
  let c: TestCluster;
  let a: TestHub;
  let b: TestHub;
  let admin: TestUser;
  let owner: TestUser;
  let origin: TestOrigin;
  let server: PairedServer;
  let redis: Redis;
  const agents: RelayAgent[] = [];

  beforeAll(async () => {
    c = await startCluster(2);
    [a, b] = c.hubs;
    for (const h of c.hubs) h.get(RemoteChangeWatch).onModuleDestroy();
    admin = await registerAdmin(a);
    owner = await registerUser(a);
    origin = await startTestOrigin();
    server = await pairServer(a, owner);
    agents.push(await startAgent(a, server, origin.url));
    redis = new Redis(REDIS_URL);
  }, 60_000);
  afterAll(async () => {
    for (const ag of agents) await ag.stop();
    redis?.disconnect();
    await c?.close();
    await origin?.close();
  });

  const entry = async () => {
    const raw = await redis.get(
      `phlix:${a.cfg.hub.id}:${new URL(c.dbUrl).pathname.slice(1)}:tunnel:${server.serverId}`,
    );
    return raw ? (JSON.parse(raw) as { n: string; e: number; t: string }) : null;
  };

  test('each replica lists both, alive, in the admin view', async () => {
    const r = await b.http().get('/api/v1/admin/cluster').set(admin.auth).expect(200);
    expect(r.body.enabled).toBe(true);
    expect(r.body.node_id).toBe('node-b');
    expect(r.body.nodes.map((n: { id: string; live: boolean }) => [n.id, n.live])).toEqual([
      ['node-a', true],
      ['node-b', true],
    ]);
    expect(r.body.nodes.every((n: { keys_match: boolean }) => n.keys_match)).toBe(true);
    await b.http().get('/api/v1/admin/cluster').set(owner.auth).expect(403);
  });

  test('a replica with signing keys of its own is flagged: tokens of one would fail on the other', async () => {
    const port = await freePort();
    const { HUB_DATA_DIR: _shared, DB_URL: _db, ...env } = c.env;
    const odd = await relayHub(
      { ...env, HUB_NODE_URL: `http://127.0.0.1:${port}`, HUB_RELAY_NODE: 'node-odd' },
      { dbUrl: c.dbUrl, keep: true, port },
    );
    try {
      const r = await b.http().get('/api/v1/admin/cluster').set(admin.auth).expect(200);
      const flags = Object.fromEntries(
        r.body.nodes.map((n: { id: string; keys_match: boolean }) => [n.id, n.keys_match]),
      );
      expect(flags).toEqual({ 'node-a': true, 'node-b': true, 'node-odd': false });
    } finally {
      await odd.close();
      rmSync(odd.dataDir, { recursive: true, force: true });
    }
  });

  test('a tunnel held by A is in Redis and shows the server online on B', async () => {
    const e = await waitFor(entry, 5000, 'the directory entry');
    expect(e.n).toBe('node-a');
    await waitFor(
      async () => {
        const r = await b.http().get(`/api/v1/me/servers/${server.serverId}`).set(owner.auth);
        return r.status === 200 && r.body.server.relay_active === true;
      },
      5000,
      'B to see the server online',
    );
    // the operator's dashboard counts the hub's tunnels, whichever replica answers
    const d = await b.http().get('/api/v1/admin/dashboard').set(admin.auth).expect(200);
    expect(d.body.relay.active_tunnels).toBe(1);
  });

  test('a newer verified tunnel on B wins: A retires its own', async () => {
    const before = (await entry())!;
    agents.push(await startAgent(b, server, origin.url));
    await waitFor(() => !!b.get(TunnelRegistry).get(server.serverId), 5000, 'the tunnel on B');
    await waitFor(() => !a.get(TunnelRegistry).get(server.serverId), 5000, 'A to retire its tunnel');
    const after = (await entry())!;
    expect(after.n).toBe('node-b');
    expect(after.e).toBeGreaterThan(before.e);
    // one agent per server in real life: the first one would otherwise come back and win again
    await agents.shift()!.stop();
  });

  async function grantee(): Promise<TestUser & { shareId: string }> {
    const u = await registerUser(a);
    const r = await a
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: server.serverId, username: u.username, permission: 'download' })
      .expect(201);
    return { ...u, shareId: r.body.id as string };
  }

  function slowStream(
    hub: TestHub,
    u: TestUser,
    id: string,
  ): Promise<{ res: IncomingMessage; ended: Promise<number> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        proxyUrl(hub, server.serverId, `/slow/${id}`),
        { headers: u.auth, agent: false },
        (res) => {
          const ended = new Promise<number>((done) => {
            res.on('close', () => done(Date.now()));
            res.on('error', () => done(Date.now()));
          });
          if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
          res.once('data', () => resolve({ res, ended }));
          res.resume();
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  const within = (p: Promise<number>, ms: number) =>
    Promise.race([p, new Promise<number>((r) => setTimeout(() => r(-1), ms))]);

  test('a share revoked through A ends, through pub/sub, the stream B relays', async () => {
    const u = await grantee();
    const { ended } = await slowStream(b, u, 'bus-revoke');
    const at = Date.now();
    await a.http().delete(`/api/v1/me/shares/${u.shareId}`).set(owner.auth).expect(204);
    const endedAt = await within(ended, 5000);
    expect(endedAt).toBeGreaterThan(0);
    expect(endedAt - at).toBeLessThan(1000);
    await waitFor(() => origin.closedSlow.has('bus-revoke'), 5000, 'the origin request to be cancelled');
  });

  test('a user disabled through A loses, at once, the stream B relays', async () => {
    const u = await grantee();
    const { ended } = await slowStream(b, u, 'bus-disable');
    const at = Date.now();
    await a.http().patch(`/api/v1/admin/users/${u.id}`).set(admin.auth).send({ disabled: true }).expect(200);
    const endedAt = await within(ended, 5000);
    expect(endedAt).toBeGreaterThan(0);
    expect(endedAt - at).toBeLessThan(1000);
  });

  test('a stream whose share did not change keeps flowing on B', async () => {
    const u = await grantee();
    const { res, ended } = await slowStream(b, u, 'bus-untouched');
    expect(await within(ended, 1500)).toBe(-1);
    res.destroy();
  });
});
