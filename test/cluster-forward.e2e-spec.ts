import { request as httpRequest } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { testDbKind } from './helpers/db.js';
import { hubUrl, proxyUrl, rawRequest, relayHub, startAgent, waitFor, withTimeout } from './helpers/relay.js';
import { sha256, startTestOrigin, VIDEO, type TestOrigin } from './helpers/relay-origin.js';
import { cutShort, openUnread } from './helpers/http-streams.js';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import { MemoryDirectoryStore, MemoryTunnelDirectory } from './helpers/cluster-directory.js';
import { TunnelDirectory } from '../src/common/ports/tunnel-directory.port.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';
import { TunnelRegistry } from '../src/relay/tunnel/registry.js';
import { PeerLinks } from '../src/relay/peer/peer-links.js';
import { LINK_PATH, signLink } from '../src/relay/peer/link-auth.js';
import { ClusterLinkGateway } from '../src/relay/peer/cluster-link.gateway.js';
import { StreamLeasesService } from '../src/relay/limits/stream-leases.service.js';

/**
 * One-hop forwarding between two replicas on one database: hub A holds the agent's tunnel, clients
 * talk to hub B, which streams each request to A over the internal link.
 */
const SECRET = 'cluster-secret-for-tests-0123456789abcdef';
const MIB = 1024 * 1024;

let a: TestHub;
let b: TestHub;
let owner: TestUser;
let grantee: TestUser;
let origin: TestOrigin;
let credit: PairedServer;
let plain: PairedServer;
let channels: PairedServer;
const echoSockets = new Set<Socket>();
const echo = createTcpServer((sock) => {
  echoSockets.add(sock);
  sock.on('data', (d) => sock.write(d));
  sock.on('close', () => echoSockets.delete(sock));
  sock.on('error', () => undefined);
});
const agents: RelayAgent[] = [];
const store = new MemoryDirectoryStore();
const dirA = new MemoryTunnelDirectory(store, 'node-a');
const dirB = new MemoryTunnelDirectory(store, 'node-b');

function joinCluster(hub: TestHub, nodeId: string): void {
  hub.cfg.cluster.secret = SECRET;
  hub.cfg.cluster.nodeId = nodeId;
  hub.cfg.cluster.nodeUrl = hubUrl(hub);
  store.nodes.set(nodeId, hubUrl(hub));
}

/** Streams A's tunnels carry (the forwarded ones among them). */
const onA = () => [credit, plain].reduce((n, s) => n + (a.get(TunnelRegistry).get(s.serverId)?.streamCount ?? 0), 0);

/** A's registry claimed the tunnel of `s` in the shared directory. */
const claimOnA = (s: PairedServer) =>
  waitFor(() => store.location(s.serverId)?.nodeId === 'node-a', 5000, 'the tunnel in the directory');

const mysql = testDbKind() === 'mysql';
const suite = mysql ? describe : describe.skip;

suite(
  `one-hop forwarding between two replicas${mysql ? '' : ' (skipped: cluster mode needs MySQL/MariaDB, run with TEST_DB=mysql)'}`,
  () => {
    beforeAll(async () => {
      a = await relayHub({}, { overrides: [[TunnelDirectory, dirA]] });
      joinCluster(a, 'node-a');
      b = await relayHub({}, { dbUrl: a.dbUrl, dataDir: a.dataDir, keep: true, overrides: [[TunnelDirectory, dirB]] });
      joinCluster(b, 'node-b');
      owner = await registerUser(a);
      grantee = await registerUser(a);
      origin = await startTestOrigin();
      credit = await pairServer(a, owner);
      plain = await pairServer(a, owner);
      agents.push(await startAgent(a, credit, origin.url));
      agents.push(await startAgent(a, plain, origin.url, { creditWindow: 0 }));
      await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
      channels = await pairServer(a, owner);
      const channelTarget = `127.0.0.1:${(echo.address() as AddressInfo).port}`;
      agents.push(await startAgent(a, channels, origin.url, { channelTarget, creditWindow: 0 }));
      await claimOnA(credit);
      await claimOnA(plain);
      await claimOnA(channels);
    });
    afterAll(async () => {
      for (const ag of agents) await ag.stop();
      await b?.close();
      await a?.close();
      await origin?.close();
      for (const sock of echoSockets) sock.destroy();
      await new Promise((r) => echo.close(r));
    });

    const viaB = (s: PairedServer, path: string) => proxyUrl(b, s.serverId, path);

    test('B has no tunnel; a GET through B is answered by the server behind A', async () => {
      expect(b.get(TunnelRegistry).get(credit.serverId)).toBeUndefined();
      const before = b.get(PeerLinks).forwarded.http;
      const r = await rawRequest(viaB(credit, '/echo?x=1'), { headers: owner.auth });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body.toString()).url).toBe('/echo?x=1');
      expect(r.headers['x-origin']).toBe('yes');
      expect(b.get(PeerLinks).forwarded.http).toBe(before + 1);
    });

    test.each([
      ['credit', () => credit],
      ['plain', () => plain],
    ])('Range through B → 206 with the exact bytes (%s protocol)', async (_n, s) => {
      const r = await rawRequest(viaB(s(), '/video.mp4'), { headers: { ...owner.auth, Range: 'bytes=1000-70999' } });
      expect(r.status).toBe(206);
      expect(r.headers['content-range']).toBe(`bytes 1000-70999/${VIDEO.length}`);
      expect(sha256(r.body)).toBe(sha256(VIDEO.subarray(1000, 71000)));
      const whole = await rawRequest(viaB(s(), '/video.mp4'), { headers: owner.auth });
      expect(whole.status).toBe(200);
      expect(sha256(whole.body)).toBe(sha256(VIDEO));
    });

    test.each([
      ['credit', () => credit],
      ['plain', () => plain],
    ])('a 10 MiB upload through B arrives intact (%s protocol)', async (_n, s) => {
      const body = Buffer.alloc(10 * MIB);
      for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 10)) & 0xff;
      const r = await rawRequest(viaB(s(), '/upload'), {
        method: 'POST',
        headers: { ...owner.auth, 'content-type': 'application/octet-stream' },
        body,
      });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body.toString())).toEqual({ bytes: body.length, sha256: sha256(body) });
    });

    test('a client that cancels mid-download ends the stream at the server', async () => {
      const id = `cancel-${randomUUID()}`;
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(viaB(credit, `/slow/${id}`), { headers: owner.auth, agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
        req.on('close', () => resolve());
        req.end();
        setTimeout(() => reject(new Error('no data')), 5000).unref();
      });
      await waitFor(() => origin.closedSlow.has(id), 5000, 'the origin to see the cancel');
      await waitFor(() => onA() === 0, 5000, 'the stream to end on A');
      await waitFor(() => b.get(TunnelRegistry).activeStreams() === 0, 5000, 'the stream to end on B');
    });

    test('a client that stops reading does not stall another stream of the same plain tunnel', async () => {
      const stalled = await openUnread(viaB(plain, '/huge?mib=64'), owner.auth);
      const tunnel = a.get(TunnelRegistry).get(plain.serverId)!;
      await waitFor(() => tunnel.readsHeld, 10000, 'A to hold the tunnel for the client that does not read');
      const [video, echo] = await withTimeout(
        Promise.all([
          rawRequest(viaB(plain, '/video.mp4'), { headers: owner.auth }),
          rawRequest(proxyUrl(a, plain.serverId, '/echo'), { headers: owner.auth }),
        ]),
        20000,
        'the other streams',
      );
      expect(video.status).toBe(200);
      expect(sha256(video.body)).toBe(sha256(VIDEO));
      expect(echo.status).toBe(200);
      expect(await withTimeout(cutShort(stalled.res), 10000, 'the stalled stream')).toBe(true);
      stalled.destroy();
    });

    test("revoking a grantee's share on B ends the stream A relays for B", async () => {
      const r = await b
        .http()
        .post('/api/v1/me/shares')
        .set(owner.auth)
        .send({ server_id: credit.serverId, username: grantee.username, permission: 'play' })
        .expect(201);
      const shareId = r.body.id ?? r.body.share?.id;
      const id = `revoke-${randomUUID()}`;
      const ended = new Promise<string>((resolve) => {
        const req = httpRequest(viaB(credit, `/slow/${id}`), { headers: grantee.auth, agent: false }, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve('end'));
          res.on('close', () => resolve('close'));
        });
        req.on('error', () => resolve('error'));
        req.end();
      });
      await waitFor(() => onA() > 0, 5000, 'the stream to start on A');
      await waitFor(() => b.get(TunnelRegistry).activeStreams() > 0, 5000, 'the stream to start on B');
      await b.http().delete(`/api/v1/me/shares/${shareId}`).set(owner.auth).expect(204);
      expect(['error', 'close', 'end']).toContain(await withTimeout(ended, 5000, 'the grantee stream to end'));
      await waitFor(() => origin.closedSlow.has(id), 5000, 'the origin to see the cancel');
      await waitFor(() => onA() === 0, 5000, 'the stream to end on A');
      const again = await rawRequest(viaB(credit, '/video.mp4'), { headers: grantee.auth });
      expect(again.status).toBe(404); // no longer shared: the server is not found for the grantee
    });

    test('a raw client channel on B reaches the server behind A: bytes intact both ways, a slow client holds the tunnel, close reaches the server', async () => {
      const r = await b.http().post(`/api/v1/me/servers/${channels.serverId}/relay-token`).set(owner.auth).expect(201);
      const url = `${hubUrl(b).replace('http:', 'ws:')}/api/v1/relay/client/${channels.serverId}`;
      const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${r.body.token}` }, perMessageDeflate: false });
      const got: Buffer[] = [];
      ws.on('message', (d) => got.push(d as Buffer));
      await withTimeout(new Promise((res, rej) => (ws.once('open', res), ws.once('error', rej))), 5000, 'channel open');
      const data = randomBytes(3 * MIB);
      for (let off = 0; off < data.length; off += 256 * 1024) ws.send(data.subarray(off, off + 256 * 1024));
      await waitFor(() => got.reduce((n, b) => n + b.length, 0) >= data.length, 15000, 'the echo');
      expect(sha256(Buffer.concat(got))).toBe(sha256(data));
      expect(echoSockets.size).toBe(1);
      // a client that stops reading holds the owner's tunnel (plain protocol), and nothing is lost
      const sock = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      sock.pause();
      got.length = 0;
      const more = randomBytes(8 * MIB);
      for (let off = 0; off < more.length; off += 256 * 1024) ws.send(more.subarray(off, off + 256 * 1024));
      const tunnel = a.get(TunnelRegistry).get(channels.serverId)!;
      await waitFor(() => tunnel.readsHeld, 15000, 'A to hold the tunnel for the client that does not read');
      sock.resume();
      await waitFor(() => got.reduce((n, b) => n + b.length, 0) >= more.length, 20000, 'the rest of the echo');
      expect(sha256(Buffer.concat(got))).toBe(sha256(more));
      await waitFor(() => !tunnel.readsHeld, 5000, 'the tunnel released');
      ws.close();
      await waitFor(() => echoSockets.size === 0, 5000, 'the server to see the channel close');
      await waitFor(() => b.get(PeerLinks).forwarded.channel > 0, 1000, 'the forwarded channel count');
    });

    test('a dropped link ends its streams on both sides; the next request dials again', async () => {
      const id = `drop-${randomUUID()}`;
      const res = await openUnread(viaB(credit, `/slow/${id}`), owner.auth);
      await waitFor(() => onA() > 0, 5000, 'the stream on A');
      a.get(ClusterLinkGateway).onModuleDestroy(); // A drops every link it accepted
      expect(await withTimeout(cutShort(res.res), 5000, 'the client response')).toBe(true);
      await waitFor(() => origin.closedSlow.has(id), 5000, 'the origin to see the cancel');
      await waitFor(() => b.get(TunnelRegistry).activeStreams() === 0, 5000, 'the stream to end on B');
      const again = await rawRequest(viaB(credit, '/echo'), { headers: owner.auth });
      expect(again.status).toBe(200);
    });

    test('the link refuses a missing, wrong or replayed signature with 401 and no detail', async () => {
      const url = `${hubUrl(a).replace('http:', 'ws:')}${LINK_PATH}`;
      const now = () => Math.floor(Date.now() / 1000);
      expect(await linkStatus(url, {})).toBe(401);
      expect(await linkStatus(url, signLink('not-the-cluster-secret-0123456789abcdef', 'node-x', now()))).toBe(401);
      expect(await linkStatus(url, signLink(SECRET, 'node-x', now() - 3600))).toBe(401);
      const good = signLink(SECRET, 'node-x', now());
      expect(await linkStatus(url, good)).toBe(101);
      expect(await linkStatus(url, good)).toBe(401); // the same nonce twice
    });

    test('a stale owner says "not here": B looks up once more and reaches the real owner', async () => {
      // B's cache names a replica without the tunnel (B itself under another node id)
      store.nodes.set('node-stale', hubUrl(b));
      dirB.cache.set(credit.serverId, { nodeId: 'node-stale', nodeUrl: hubUrl(b), epoch: 1, tunnelId: 'gone' });
      dirB.lookups.length = 0;
      try {
        const r = await rawRequest(viaB(credit, '/echo'), { headers: owner.auth });
        expect(r.status).toBe(200);
        expect(dirB.lookups).toEqual([
          { serverId: credit.serverId, fresh: false },
          { serverId: credit.serverId, fresh: true },
        ]);
      } finally {
        dirB.cache.delete(credit.serverId);
      }
    });

    test('owner gone everywhere → 503 relay.server_unreachable with Retry-After', async () => {
      const saved = store.entries.get(credit.serverId)!;
      // the directory still names A, but A no longer holds a tunnel of that server
      store.entries.set(credit.serverId, { ...saved, nodeId: 'node-stale' });
      try {
        const r = await rawRequest(viaB(credit, '/echo'), { headers: owner.auth });
        expect(r.status).toBe(503);
        expect(JSON.parse(r.body.toString()).code).toBe('relay.server_unreachable');
        expect(r.headers['retry-after']).toBeDefined();
        // a replica that cannot be reached at all (nothing listens at its URL)
        store.nodes.set('node-dead', 'http://127.0.0.1:9');
        store.entries.set(credit.serverId, { ...saved, nodeId: 'node-dead' });
        const dead = await rawRequest(viaB(credit, '/echo'), { headers: owner.auth });
        expect([dead.status, JSON.parse(dead.body.toString()).code]).toEqual([503, 'relay.server_unreachable']);
        expect(dead.headers['retry-after']).toBeDefined();
        store.entries.delete(credit.serverId);
        const none = await rawRequest(viaB(credit, '/echo'), { headers: owner.auth });
        expect(none.status).toBe(503);
        expect(none.headers['retry-after']).toBeDefined();
      } finally {
        store.entries.set(credit.serverId, saved);
      }
    });
  },
);

/** Status of a link upgrade attempt: 101 when accepted, else the HTTP status. */
function linkStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on('unexpected-response', (_req, res) => {
      expect(Number(res.headers['content-length'] ?? 0)).toBe(0);
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => resolve(0));
  });
}

suite('one-hop forwarding with the Redis directory', () => {
  let c: TestCluster;
  let agent: RelayAgent | undefined;
  let ra: TestHub;
  let rb: TestHub;
  let user: TestUser;
  let server: PairedServer;
  let o: TestOrigin;
  beforeAll(async () => {
    o = await startTestOrigin();
    c = await startCluster(2);
    [ra, rb] = c.hubs as [TestHub, TestHub];
    user = await registerUser(ra);
    server = await pairServer(ra, user);
    agent = await startAgent(ra, server, o.url);
    await waitFor(() => rb.get(TunnelRegistry).isActive(server.serverId), 5000, 'B to know the tunnel on A');
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await c?.close();
    await o?.close();
  });

  test('B forwards to A; once the agent is gone, B answers 503 with Retry-After', async () => {
    const r = await rawRequest(proxyUrl(rb, server.serverId, '/video.mp4'), {
      headers: { ...user.auth, Range: 'bytes=0-99999' },
    });
    expect(r.status).toBe(206);
    expect(sha256(r.body)).toBe(sha256(VIDEO.subarray(0, 100000)));
    expect(rb.get(PeerLinks).forwarded.http).toBe(1);
    // a live forwarded stream is counted once hub-wide, by the replica its client talks to
    const live = await openUnread(proxyUrl(rb, server.serverId, '/slow/count'), user.auth);
    const total = (h: TestHub) => h.get(TunnelRegistry).hubWide().streams;
    const leases = ra.get(StreamLeasesService);
    await waitFor(async () => (await leases.sync(), leases.remoteCount === 1), 5000, "A to see B's lease");
    expect([total(ra), total(rb)]).toEqual([1, 1]);
    expect(ra.get(TunnelRegistry).activeStreams()).toBe(1); // A still carries it (a drain waits for it)
    live.destroy();
    await waitFor(() => total(ra) === 0 && total(rb) === 0, 5000, 'the stream to end');
    await agent!.stop();
    agent = undefined;
    await waitFor(() => !rb.get(TunnelRegistry).isActive(server.serverId), 5000, 'B to see the tunnel gone');
    const gone = await rawRequest(proxyUrl(rb, server.serverId, '/echo'), { headers: user.auth });
    expect(gone.status).toBe(503);
    expect(gone.headers['retry-after']).toBeDefined();
  });
});
