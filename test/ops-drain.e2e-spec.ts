import { jest } from '@jest/globals';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { dropTestDatabase, testDbKind } from './helpers/db.js';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import {
  RawTunnel,
  proxyUrl,
  relayHub,
  startOrigin,
  tunnelUrl,
  sleep,
  waitFor,
  withTimeout,
  type Origin,
} from './helpers/relay.js';
import { TunnelRegistry } from '../src/relay/tunnel/registry.js';
import { RelayGateway } from '../src/relay/tunnel/gateway.js';
import { FrameType } from '../src/relay/codec/index.js';
import { AgentState } from '../src/agent/agent-state.js';
import { RelayAgent } from '../src/agent/relay-agent.js';
import type { AgentTunnel } from '../src/agent/agent-tunnel.js';

/**
 * Drain and failover with two hub replicas on one database behind a small TCP load balancer:
 * a killed replica's tunnel comes back on the other within the agent's backoff; a draining one
 * tells its tunnels to move (our agent opens the next tunnel before the old one closes), lets
 * in-flight streams finish, closes with 1012 `hub_draining` and refuses new tunnels.
 * With TEST_DB=mysql the replicas run in cluster mode (Redis presence): there the old tunnel is
 * retired by the directory once its successor verifies, and keeps its stream past
 * HUB_RELAY_DRAIN_GRACE_MS until the drain deadline. On SQLite (no cluster mode) the draining
 * replica closes it itself once its stream is done.
 */
jest.setTimeout(60_000);

const CHUNK = 16384;

/** Plain TCP balancing: each connection goes to the first port of `pool` that accepts it. */
class Balancer {
  pool: number[] = [];
  private readonly pairs = new Set<{ upstream: number; a: net.Socket; b: net.Socket }>();
  private readonly server = net.createServer((client) => this.route(client, 0));
  port = 0;

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private route(client: net.Socket, i: number): void {
    client.on('error', () => undefined);
    const port = this.pool[i];
    if (port === undefined) return void client.destroy();
    const up = net.connect(port, '127.0.0.1');
    up.once('error', () => (up.remoteAddress ? undefined : this.route(client, i + 1)));
    up.once('connect', () => {
      up.on('error', () => client.destroy());
      const pair = { upstream: port, a: client, b: up };
      this.pairs.add(pair);
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        up.destroy();
      };
      client.on('close', end);
      up.on('close', end);
      client.pipe(up);
      up.pipe(client);
    });
  }

  /** Drop every connection to `port` without a close handshake (what a killed process leaves). */
  cut(port: number): void {
    for (const p of [...this.pairs]) {
      if (p.upstream !== port) continue;
      p.a.resetAndDestroy();
      p.b.resetAndDestroy();
    }
  }

  close(): Promise<void> {
    for (const p of this.pairs) {
      p.a.destroy();
      p.b.destroy();
    }
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** An origin whose /slow sends one chunk, then the rest once `release()` is called. */
function heldOrigin(): Promise<Origin & { release: () => void }> {
  let waiting: (() => void)[] = [];
  let released = false;
  return startOrigin((req, res) => {
    if (!req.url?.startsWith('/slow')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('ok');
    }
    const n = 12;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(n * CHUNK) });
    res.write(Buffer.alloc(CHUNK, 0));
    const rest = () => {
      let i = 1;
      const t = setInterval(() => {
        res.write(Buffer.alloc(CHUNK, i));
        if (++i === n) {
          clearInterval(t);
          res.end();
        }
      }, 20);
      res.on('close', () => clearInterval(t));
    };
    if (released) rest();
    else waiting.push(rest);
  }).then((o) =>
    Object.assign(o, {
      release: () => {
        released = true;
        for (const w of waiting) w();
        waiting = [];
      },
    }),
  );
}

interface Got {
  status: number;
  bytes: number;
  complete: boolean;
}
/** GET with the owner's token; `first` resolves at the first body bytes. */
function streamGet(url: string, token: string): { first: Promise<void>; done: Promise<Got> } {
  let first!: () => void;
  const firstP = new Promise<void>((r) => (first = r));
  const done = new Promise<Got>((resolve) => {
    const req = http.get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      const fail = () => resolve({ status: res.statusCode ?? 0, bytes, complete: false });
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        first();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, complete: res.complete }));
      res.on('error', fail);
      res.on('aborted', fail);
    });
    req.on('error', () => resolve({ status: -1, bytes: 0, complete: false }));
  });
  return { first: firstP, done };
}

const portOf = (hub: TestHub) => (hub.app.getHttpServer().address() as net.AddressInfo).port;
const registry = (hub: TestHub) => hub.get(TunnelRegistry);
/** the replica holds the server's tunnel itself (isActive also counts other replicas in cluster mode) */
const holds = (hub: TestHub, serverId: string) => !!registry(hub).get(serverId);
const clustered = testDbKind() === 'mysql';
/** short on purpose: a tunnel retired while its replica drains keeps its stream past it */
const DRAIN_GRACE_MS = '200';

let a: TestHub;
let b: TestHub;
let lb: Balancer;
let origin: Origin & { release: () => void };
let owner: TestUser;
let paired: PairedServer;
let agent: RelayAgent;
let agentDir: string;
const agentLog: string[] = [];
const ups: AgentTunnel[] = [];

let cluster: TestCluster | null = null;

beforeAll(async () => {
  if (clustered) {
    cluster = await startCluster(2, { HUB_RELAY_DRAIN_GRACE_MS: DRAIN_GRACE_MS });
    [a, b] = cluster.hubs as [TestHub, TestHub];
  } else {
    a = await relayHub({ HUB_RELAY_NODE: 'node-a', HUB_RELAY_DRAIN_GRACE_MS: DRAIN_GRACE_MS }, { keep: true });
    // the second replica shares the first one's database and key material
    b = await relayHub(
      { HUB_RELAY_NODE: 'node-b', HUB_RELAY_DRAIN_GRACE_MS: DRAIN_GRACE_MS },
      { dataDir: a.dataDir, dbUrl: a.dbUrl, keep: true },
    );
  }
  lb = new Balancer();
  await lb.listen();
  lb.pool = [portOf(a), portOf(b)];
  origin = await heldOrigin();
  owner = await registerUser(a);
  paired = await pairServer(a, owner);
  agentDir = mkdtempSync(join(tmpdir(), 'phlix-drain-agent-'));
  AgentState.open(agentDir).setEnrollment({
    hubBaseUrl: `http://127.0.0.1:${lb.port}`,
    serverId: paired.serverId,
    enrollmentJwt: paired.enrollmentJwt,
    enrolledAt: Date.now(),
  });
  // the agent's default backoff (first retry after 0.5–1 s, doubling up to 60 s)
  agent = new RelayAgent({
    hubUrl: `http://127.0.0.1:${lb.port}`,
    origin: origin.url,
    dataDir: agentDir,
    heartbeatIntervalMs: 3_600_000,
    log: (m) => agentLog.push(m),
    now: () => a.clock.now(),
  });
  agent.on('tunnel-up', (t: AgentTunnel) => ups.push(t));
  await agent.start();
  await waitFor(() => ups.length === 1, 10_000, 'first tunnel');
});

afterAll(async () => {
  await agent?.stop();
  await lb?.close();
  await origin?.close();
  if (agentDir) rmSync(agentDir, { recursive: true, force: true });
  if (cluster) return cluster.close();
  await b?.close();
  await a?.close(); // both kept their data: it goes here
  if (a?.dbName) await dropTestDatabase(a.dbName).catch(() => undefined);
  if (a) rmSync(a.dataDir, { recursive: true, force: true });
});

test('a killed replica: its tunnel comes back on the other one within the first backoff step', async () => {
  await waitFor(() => holds(a, paired.serverId), 5000, 'tunnel on replica a');
  expect(holds(b, paired.serverId)).toBe(false);
  const first = ups[0]!;
  lb.pool = [portOf(b)]; // replica a is gone: the balancer sends new connections to b
  lb.cut(portOf(a));
  const closed = await withTimeout(first.closed, 10_000, 'agent notices the dead replica');
  expect(closed.code).toBe(1006);
  await waitFor(() => ups.length === 2 && holds(b, paired.serverId), 15_000, 'tunnel on replica b');
  const delays = agentLog.map((l) => /reconnecting in (\d+) ms/.exec(l)?.[1]).filter(Boolean);
  expect(delays.length).toBeGreaterThan(0);
  expect(Number(delays[0])).toBeGreaterThanOrEqual(500);
  expect(Number(delays[0])).toBeLessThanOrEqual(1000);
  const r = await fetch(proxyUrl(b, paired.serverId, '/hello'), { headers: owner.auth });
  expect({ status: r.status, body: await r.text() }).toEqual({ status: 200, body: 'ok' });
});

test('drain: the agent has its new tunnel up before the old one closes; the in-flight stream completes', async () => {
  const old = ups[ups.length - 1]!;
  expect(holds(b, paired.serverId)).toBe(true);
  await waitFor(() => !registry(a).liveServerIds().length, 5000, 'replica a forgot the killed tunnel');
  const order: string[] = [];
  void old.closed.then((c) => order.push(`old closed ${c.code} ${c.reason}`));
  agent.on('tunnel-up', () => order.push('new up'));

  const s = streamGet(proxyUrl(b, paired.serverId, '/slow'), owner.token);
  await withTimeout(s.first, 10_000, 'first bytes of the stream');
  lb.pool = [portOf(a)]; // b goes away (its listener closes at SIGTERM): new connections reach a
  registry(b).drain(Date.now() + 30_000);

  const before = ups.length;
  await waitFor(() => ups.length > before && holds(a, paired.serverId), 10_000, 'new tunnel on a');
  expect(order).toEqual(['new up']);
  expect(old.activeStreams).toBe(1);
  // in cluster mode b retires the old tunnel once it learns of the new one: it keeps its stream
  // past HUB_RELAY_DRAIN_GRACE_MS all the same (the drain deadline is its grace)
  if (clustered) await waitFor(() => !holds(b, paired.serverId), 5000, 'old tunnel retired on b');
  await sleep(3 * Number(DRAIN_GRACE_MS));
  expect(registry(b).liveServerIds()).toEqual([paired.serverId]); // b still carries the stream
  expect(old.activeStreams).toBe(1);

  origin.release();
  const got = await withTimeout(s.done, 15_000, 'stream end');
  expect(got).toEqual({ status: 200, bytes: 12 * CHUNK, complete: true });
  const c = await withTimeout(old.closed, 5000, 'old tunnel closed');
  const expected = clustered ? { code: 1000, reason: 'server_replaced' } : { code: 1012, reason: 'hub_draining' };
  expect(c).toEqual(expected);
  expect(order).toEqual(['new up', `old closed ${expected.code} ${expected.reason}`]);
  await waitFor(() => agent.tunnel === ups[ups.length - 1] && agent.tunnel !== old, 5000, 'current tunnel');
  expect(registry(b).liveServerIds()).toEqual([]);
  expect(await registry(b).finishDrain()).toBe(clustered ? 0 : 1);

  // relay_sessions: the old row is closed (here the new replica superseded it first: no cluster
  // directory in this test), the new one open
  const rows: { tunnel_id: string; closed_at: unknown; close_reason: string | null }[] = await a.ds.query(
    'SELECT tunnel_id, closed_at, close_reason FROM relay_sessions WHERE server_id = ?',
    [paired.serverId],
  );
  const oldRow = rows.find((r) => r.tunnel_id === old.tunnelId)!;
  const newRow = rows.find((r) => r.tunnel_id === agent.tunnel!.tunnelId)!;
  expect(oldRow.closed_at).not.toBeNull();
  expect(['hub_draining', 'superseded', 'server_replaced']).toContain(oldRow.close_reason);
  expect(newRow.closed_at).toBeNull();

  const r = await fetch(proxyUrl(a, paired.serverId, '/hello'), { headers: owner.auth });
  expect(r.status).toBe(200);
});

test('a draining replica refuses new tunnels with 1012 hub_draining (main port and relay port)', async () => {
  expect(registry(b).draining).toBe(true);
  const relayPort = b.get(RelayGateway).relayPortAddress()!.port;
  for (const url of [tunnelUrl(b), `ws://127.0.0.1:${relayPort}/`]) {
    const t = await RawTunnel.connect(url);
    expect(await t.waitClose()).toEqual({ code: 1012, reason: 'hub_draining' });
  }
});

test('a stock server that ignores DISCONNECTED: closed with 1012 once its stream is done; an idle one at once', async () => {
  await agent.stop();
  await waitFor(() => !registry(a).liveServerIds().length, 5000, 'agent gone from replica a');
  const busy = await pairServer(a, owner);
  const idle = await pairServer(a, owner);
  const tBusy = await RawTunnel.open(tunnelUrl(a), busy);
  const tIdle = await RawTunnel.open(tunnelUrl(a), idle);
  await waitFor(() => holds(a, busy.serverId) && holds(a, idle.serverId));

  const body = Buffer.alloc(3000, 7);
  const res = fetch(proxyUrl(a, busy.serverId, '/file'), { headers: owner.auth });
  const req = await tBusy.waitFrame((f) => f.type === FrameType.HTTP_REQUEST && f.payload[0] === 0x03);

  registry(a).drain(Date.now() + 30_000);
  const notice = (t: RawTunnel) =>
    t
      .waitFrame((f) => f.type === FrameType.DISCONNECTED)
      .then((f) => ({ id: f.id, json: JSON.parse(String(f.payload)) }));
  expect(await notice(tBusy)).toEqual({ id: 0, json: { reason: 'hub_draining' } });
  expect(await notice(tIdle)).toEqual({ id: 0, json: { reason: 'hub_draining' } });
  expect(await tIdle.waitClose()).toEqual({ code: 1012, reason: 'hub_draining' });
  expect(tBusy.open).toBe(true); // still serving its request

  const head = JSON.stringify({
    status: 200,
    headers: { 'Content-Type': 'application/octet-stream' },
    bodyLength: 3000,
  });
  tBusy.send(FrameType.HTTP_RESPONSE, req.id, Buffer.concat([Buffer.from([1]), Buffer.from(head)]));
  tBusy.send(FrameType.HTTP_RESPONSE, req.id, Buffer.concat([Buffer.from([2]), body]));
  tBusy.send(FrameType.HTTP_RESPONSE, req.id, Buffer.from([3]));
  const r = await res;
  expect(r.status).toBe(200);
  expect(Buffer.from(await r.arrayBuffer()).equals(body)).toBe(true);
  expect(await tBusy.waitClose()).toEqual({ code: 1012, reason: 'hub_draining' });
  expect(await registry(a).finishDrain()).toBe(2);
});
