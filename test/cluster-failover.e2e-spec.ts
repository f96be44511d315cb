import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest, type ClientRequest } from 'node:http';
import request from 'supertest';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubPort, waitFor, withTimeout } from './helpers/relay.js';
import { startTestOrigin, VIDEO, sha256, type TestOrigin } from './helpers/relay-origin.js';
import { describeCluster, startCluster, type TestCluster } from './helpers/cluster.js';
import { spawnReplica, TcpBalancer, type ReplicaProcess } from './helpers/replica-process.js';
import { RelayAgent } from '../src/agent/relay-agent.js';
import { AgentState } from '../src/agent/agent-state.js';

/**
 * Real replica processes (`node dist/main.js`) on one MariaDB database and the machine's Redis,
 * behind a plain TCP balancer that sends each connection to the first replica that takes it
 * (A, then B, then the in-process replica H). The agent reaches the hub only through the
 * balancer. A is killed with SIGKILL: the agent comes back on B within its backoff and requests
 * work again; writes that A acknowledged before it died are all there. Then B gets SIGTERM: it
 * tells the agent to go, the agent's next tunnel is up on H before B lets the old one go, and B
 * exits cleanly.
 */
describeCluster('cluster mode: a killed replica', () => {
  let c: TestCluster;
  let h: TestHub;
  let a: ReplicaProcess;
  let b: ReplicaProcess;
  let lb: TcpBalancer;
  let owner: TestUser;
  let origin: TestOrigin;
  let server: PairedServer;
  let agent: RelayAgent;
  const ups: number[] = [];
  const agentLog: string[] = [];

  beforeAll(async () => {
    // the in-process replica (set-up and checks) keeps real time: the replica processes check what it signs
    c = await startCluster(1, {}, { now: Date.now() });
    h = c.hubs[0];
    // one-second replica heartbeats: a dead replica is noticed after three missed beats
    const env = { ...c.env, HUB_NODE_HEARTBEAT_INTERVAL: '1' };
    a = await spawnReplica('node-p1', env);
    b = await spawnReplica('node-p2', env);
    lb = new TcpBalancer([a.port, b.port, hubPort(h)]);
    await lb.start();
    owner = await registerUser(h);
    origin = await startTestOrigin();
    server = await pairServer(h, owner);
    const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-'));
    AgentState.open(dataDir).setEnrollment({
      hubBaseUrl: lb.url,
      serverId: server.serverId,
      enrollmentJwt: server.enrollmentJwt,
      enrolledAt: Date.now(),
    });
    agent = new RelayAgent({
      hubUrl: lb.url,
      origin: origin.url,
      dataDir,
      reconnectBaseMs: 200,
      reconnectMaxMs: 2000,
      heartbeatIntervalMs: 3_600_000,
      log: (m: string) => agentLog.push(m),
    });
    agent.on('tunnel-up', () => ups.push(Date.now()));
    const up = new Promise((res) => agent.once('tunnel-up', res));
    await agent.start();
    await withTimeout(up, 10_000, 'agent tunnel up').catch((e: Error) => {
      throw new Error(`${e.message}: ${agentLog.join(' | ')} | ${a.log()}`);
    });
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    for (const p of [a, b]) p?.kill('SIGKILL');
    await lb?.close();
    await c?.close();
    await origin?.close();
  });

  const viaLb = () => request(lb.url);
  /** The whole /video.mp4 through `base`, its body as bytes. */
  const video = (base: string) =>
    request(base)
      .get(`/api/v1/servers/${server.serverId}/proxy/video.mp4`)
      .set(owner.auth)
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      });

  test('the tunnel is on A and a request through the balancer is relayed', async () => {
    const nodes = await h.ds.query('SELECT worker_node FROM relay_sessions WHERE server_id = ? AND closed_at IS NULL', [
      server.serverId,
    ]);
    expect(nodes.map((n: { worker_node: string }) => n.worker_node)).toEqual(['node-p1']);
    const r = await video(lb.url);
    expect(r.status).toBe(200);
    expect(sha256(r.body as Buffer)).toBe(sha256(VIDEO));
  });

  test('a client on B is served through the tunnel A holds (one hop between the processes)', async () => {
    const whole = await video(b.url);
    expect(whole.status).toBe(200);
    expect(sha256(whole.body as Buffer)).toBe(sha256(VIDEO));
    const part = await request(b.url)
      .get(`/api/v1/servers/${server.serverId}/proxy/video.mp4`)
      .set(owner.auth)
      .set('Range', 'bytes=1000-1999');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${VIDEO.length}`);
  });

  test('A killed: writes it acknowledged stay, the agent is back on B within its backoff, requests work', async () => {
    const acked: string[] = [];
    const upsBefore = ups.length;
    // a stream in flight on A: its lease counts against the hub-wide caps until A is known to be dead
    const leasesOfA = async () =>
      Number((await h.ds.query("SELECT COUNT(*) AS n FROM relay_stream_leases WHERE node LIKE 'node-p1:%'"))[0].n);
    const held = httpRequest(`${lb.url}/api/v1/servers/${server.serverId}/proxy/slow/on-a`, {
      headers: owner.auth,
      agent: false,
    });
    held.on('error', () => undefined);
    held.end();
    await waitFor(async () => (await leasesOfA()) > 0, 5000, "the stream's lease on A");
    const writes = Array.from({ length: 20 }, (_, i) =>
      request(a.url)
        .post('/api/v1/me/invite-links')
        .set(owner.auth)
        .send({ server_id: server.serverId, permission: 'view' })
        .then((r) => {
          if (r.status === 201) acked.push(r.body.id as string);
        })
        .catch(() => undefined)
        .then(() => (i === 9 ? a.kill('SIGKILL') : undefined)),
    );
    await Promise.all(writes);
    const killedAt = Date.now();
    await a.exit;
    expect(acked.length).toBeGreaterThan(0);
    const list = await h.http().get('/api/v1/me/invite-links').set(owner.auth).expect(200);
    const stored = new Set((list.body.invite_links as { id: string }[]).map((x) => x.id));
    for (const id of acked) expect(stored.has(id)).toBe(true);

    await waitFor(() => ups.length > upsBefore, 15_000, 'the agent to reconnect').catch((e: Error) => {
      throw new Error(`${e.message}: ${agentLog.slice(-8).join(' | ')} | ${b.log().slice(-2000)}`);
    });
    // the agent's first retry comes after 100–200 ms of backoff (plus its silence detection when no close arrives)
    expect(ups[ups.length - 1] - killedAt).toBeLessThan(15_000);
    const nodes = await waitFor(
      async () => {
        const rows = await h.ds.query(
          'SELECT worker_node FROM relay_sessions WHERE server_id = ? AND closed_at IS NULL AND worker_node = ?',
          [server.serverId, 'node-p2'],
        );
        return rows.length ? rows : null;
      },
      10_000,
      'a session on B',
    );
    expect(nodes).toHaveLength(1);
    // B notices A missed three beats and drops A's leases (not only after they go stale, minutes later)
    await waitFor(async () => (await leasesOfA()) === 0, 15_000, "A's leases to be dropped");
    held.destroy();
    const r = await viaLb()
      .get(`/api/v1/servers/${server.serverId}/proxy/video.mp4`)
      .set(owner.auth)
      .set('Range', 'bytes=100-199');
    expect(r.status).toBe(206);
  });

  test('B drained with SIGTERM: the agent moves to H before B closes its tunnel, B exits 0', async () => {
    const upsBefore = ups.length;
    const order: string[] = [];
    agent.on('tunnel-up', () => order.push('up'));
    agent.on('tunnel-down', () => order.push('down'));
    // a stream in flight on B's tunnel: the tunnel stays until it ends
    const held = await new Promise<ClientRequest>((resolve, reject) => {
      const req = httpRequest(
        `${b.url}/api/v1/servers/${server.serverId}/proxy/slow/drain`,
        { headers: owner.auth, agent: false },
        (res) =>
          res.statusCode === 200 ? res.once('data', () => resolve(req)) : reject(new Error(`${res.statusCode}`)),
      );
      req.on('error', () => undefined);
      req.end();
    });
    b.kill('SIGTERM');
    await waitFor(() => ups.length > upsBefore, 15_000, 'the agent to open its next tunnel');
    held.destroy();
    const code = await withTimeout(b.exit, 30_000, 'B to exit');
    expect(code).toBe(0);
    const open = await h.ds.query('SELECT worker_node FROM relay_sessions WHERE server_id = ? AND closed_at IS NULL', [
      server.serverId,
    ]);
    expect(open.map((n: { worker_node: string }) => n.worker_node)).toEqual([h.cfg.cluster.nodeId]);
    const r = await h
      .http()
      .get(`/api/v1/servers/${server.serverId}/proxy/video.mp4`)
      .set(owner.auth)
      .set('Range', 'bytes=0-9');
    expect(r.status).toBe(206);
    // make-before-break: the next tunnel was up before the old one went down
    expect(order).toEqual(['up', 'down']);
  });
});
