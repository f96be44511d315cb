import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { IsNull } from 'typeorm';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { RawTunnel, rawRequest, relayHub, sleep, tunnelUrl, waitFor, hubUrl } from './helpers/relay.js';
import { FrameType } from '../src/relay/codec/index.js';
import { RelayPresence } from '../src/common/relay-presence.js';
import { RelayGateway } from '../src/relay/tunnel/gateway.js';
import { TunnelRegistry } from '../src/relay/tunnel/registry.js';
import { RelaySession } from '../src/relay/entities/relay-session.entity.js';
import { RelaySessionsService } from '../src/relay/relay-sessions.service.js';
import { AuditLog } from '../src/audit/entities/audit-log.entity.js';

let hub: TestHub;
let owner: TestUser;
let srv: PairedServer;
let other: PairedServer;

beforeAll(async () => {
  hub = await relayHub({
    HUB_RELAY_HEARTBEAT_INTERVAL: '1',
    HUB_RELAY_IDLE_TIMEOUT: '90',
    HUB_RELAY_REAP_INTERVAL: '1',
  });
  owner = await registerUser(hub);
  srv = await pairServer(hub, owner);
  other = await pairServer(hub, owner);
});
afterAll(async () => {
  await hub.close();
});

const sessions = () => hub.ds.getRepository(RelaySession);
const presence = () => hub.get(RelayPresence);

test('HELLO → HELLO_ACK (plain shape), presence, relay_sessions row, hub heartbeats; session closes with its reason', async () => {
  const t = await RawTunnel.connect(tunnelUrl(hub));
  t.hello(srv.serverId, srv.enrollmentJwt);
  const ack = JSON.parse(await t.nextText());
  expect(Object.keys(ack)).toEqual(['type', 'relay_session_id', 'tunnel_id']);
  expect(ack.type).toBe('hello_ack');
  expect(presence().isActive(srv.serverId)).toBe(true);
  const row = await sessions().findOneByOrFail({ id: ack.relay_session_id });
  expect(row).toMatchObject({ serverId: srv.serverId, tunnelId: ack.tunnel_id, closedAt: null, flowControl: 'plain' });
  const me = await hub.http().get('/api/v1/me/servers').set(owner.auth).expect(200);
  const info = (me.body.servers ?? me.body).find((s: { serverId: string }) => s.serverId === srv.serverId);
  expect(info.relayActive).toBe(true);
  // keep-alive from the hub: HEARTBEAT on channel 0, empty
  const hb = await t.waitFrame((f) => f.type === FrameType.HEARTBEAT, 3000);
  expect(hb.id).toBe(0);
  expect(hb.payload.length).toBe(0);
  t.close();
  await waitFor(() => !presence().isActive(srv.serverId), 3000, 'presence to drop');
  const closed = await waitFor(async () => {
    const row2 = await sessions().findOneBy({ id: ack.relay_session_id });
    return row2?.closedAt ? row2 : undefined;
  });
  expect(closed!.closeReason).toBe('server_closed');
  expect(Number(closed!.bytesIn)).toBeGreaterThan(0);
  expect(Number(closed!.bytesOut)).toBeGreaterThan(0);
});

test('the hub never answers a HEARTBEAT (no echo loop)', async () => {
  const t = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  await t.waitFrame((f) => f.type === FrameType.HEARTBEAT, 3000);
  const before = t.frames.length;
  for (let i = 0; i < 50; i++) t.send(FrameType.HEARTBEAT, 0);
  await sleep(1200);
  // only the hub's own timer (1 s here) may have produced frames
  expect(t.frames.length - before).toBeLessThanOrEqual(2);
  expect(t.open).toBe(true);
  t.close();
});

test.each([
  ['not JSON', 'hello?', 'invalid_hello'],
  ['not an object', '[1,2]', 'missing_server_id'],
  ['missing server_id', JSON.stringify({ type: 'hello', enrollment_jwt: 'x' }), 'missing_server_id'],
  ['wrong type', JSON.stringify({ type: 'hi', enrollment_jwt: 'x', server_id: randomUUID() }), 'invalid_hello'],
  [
    'jwt not a string',
    JSON.stringify({ type: 'hello', enrollment_jwt: 5, server_id: randomUUID() }),
    'invalid_hello_payload',
  ],
  ['garbage jwt', JSON.stringify({ type: 'hello', enrollment_jwt: 'a.b.c', server_id: randomUUID() }), 'unauthorized'],
])('bad HELLO (%s) closes with its reason', async (_what, text, reason) => {
  const t = await RawTunnel.connect(tunnelUrl(hub));
  t.ws.send(text);
  const c = await t.waitClose();
  expect(c.reason).toBe(reason);
  expect(t.texts).toEqual([]);
});

test("HELLO with another server's id (valid JWT of mine) is refused", async () => {
  const t = await RawTunnel.connect(tunnelUrl(hub));
  t.hello(other.serverId, srv.enrollmentJwt);
  expect(await t.waitClose()).toEqual({ code: 1008, reason: 'unauthorized' });
  expect(presence().isActive(other.serverId)).toBe(false);
});

test('frames before HELLO, a second HELLO, a HELLO frame in binary mode, unknown types: closed with a reason', async () => {
  const early = await RawTunnel.connect(tunnelUrl(hub));
  early.send(FrameType.HEARTBEAT, 0);
  expect((await early.waitClose()).reason).toBe('protocol_error');

  const twice = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  twice.hello(srv.serverId, srv.enrollmentJwt);
  expect((await twice.waitClose()).reason).toBe('protocol_error');

  const helloFrame = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  helloFrame.send(FrameType.HELLO, 0, Buffer.from('{}'));
  expect((await helloFrame.waitClose()).reason).toBe('protocol_error');

  const unknown = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  unknown.sendRaw(Buffer.from('00000000130000', 'hex'));
  expect((await unknown.waitClose()).reason).toBe('invalid_frame');

  const fed = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  fed.send(FrameType.HUB_HELLO, 0);
  expect((await fed.waitClose()).reason).toBe('protocol_error');
});

test('oversize input: a 2 MiB WebSocket message closes the tunnel (1009); the hub keeps serving', async () => {
  const t = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  t.sendRaw(Buffer.alloc(2 * 1024 * 1024, 0x41));
  expect((await t.waitClose()).code).toBe(1009);
  const again = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  expect(presence().isActive(srv.serverId)).toBe(true);
  again.close();
});

test('frames split across messages and several frames in one message are decoded', async () => {
  const t = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  const hb = Buffer.from('00000000060000', 'hex');
  t.sendRaw(Buffer.concat([hb, hb, hb.subarray(0, 3)]));
  t.sendRaw(hb.subarray(3));
  t.send(FrameType.HTTP_CANCEL, 0x80000001); // the server's cancel after END: accepted, ignored
  t.send(FrameType.DATA, 7, Buffer.from('no such channel')); // dropped
  await sleep(200);
  expect(t.open).toBe(true);
  t.close();
});

test('an impostor HELLO does not displace the live tunnel; a verified one replaces it', async () => {
  const a = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  const aSession = await sessions().findOneByOrFail({ serverId: srv.serverId, closedAt: IsNull() });
  const impostor = await RawTunnel.connect(tunnelUrl(hub));
  impostor.hello(srv.serverId, other.enrollmentJwt);
  expect((await impostor.waitClose()).reason).toBe('unauthorized');
  const trail = await waitFor(
    async () => {
      const rows = await hub.ds
        .getRepository(AuditLog)
        .findBy({ action: 'relay.tunnel_rejected', targetId: srv.serverId });
      return rows.length ? rows : undefined;
    },
    3000,
    'the rejected HELLO on the audit trail',
  );
  expect(trail!.map((x) => [x.outcome, x.actorType, JSON.parse(x.details!).reason])).toEqual([
    ['denied', 'anonymous', 'server_mismatch'],
  ]);
  expect(trail![0].ip).toBeTruthy();
  expect(a.open).toBe(true);
  expect(hub.get(TunnelRegistry).get(srv.serverId)?.sessionId).toBe(aSession.id);

  // Hold back the replaced tunnel's own close record, so a supersede that wrongly covers it would
  // land first (the order that once made this test flaky on MariaDB).
  const svc = hub.get(RelaySessionsService);
  const realClose = svc.close.bind(svc);
  svc.close = async (...args) => {
    await sleep(150);
    return realClose(...args);
  };
  let b: RawTunnel;
  try {
    b = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
    expect((await a.waitClose()).reason).toBe('server_replaced');
    await sleep(300);
  } finally {
    svc.close = realClose;
  }
  expect(b.open).toBe(true);
  expect(presence().isActive(srv.serverId)).toBe(true);
  const old = await sessions().findOneByOrFail({ id: aSession.id });
  expect(old.closeReason).toBe('server_replaced');
  expect(await sessions().countBy({ serverId: srv.serverId, closedAt: IsNull() })).toBe(1);
  b.close();
});

test('idle reaper: a tunnel silent for > 90 s is closed with "timeout"; an active one stays', async () => {
  const idle = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
  const busy = await RawTunnel.open(tunnelUrl(hub), { serverId: other.serverId, enrollmentJwt: other.enrollmentJwt });
  hub.clock.advance(91_000);
  busy.send(FrameType.HEARTBEAT, 0);
  const c = await idle.waitClose(4000);
  expect(c.reason).toBe('timeout');
  expect(busy.open).toBe(true);
  expect(presence().isActive(other.serverId)).toBe(true);
  busy.close();
});

test('a server that never reads: uploads stop at the high-water mark, then the stuck tunnel is closed (backpressure_timeout)', async () => {
  const stuck = await pairServer(hub, owner);
  const t = await RawTunnel.open(tunnelUrl(hub), { serverId: stuck.serverId, enrollmentJwt: stuck.enrollmentJwt });
  (t.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never reads again
  const body = Buffer.alloc(48 * 1024 * 1024, 0x61);
  const upload = rawRequest(`${hubUrl(hub)}/api/v1/servers/${stuck.serverId}/proxy/upload`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${owner.token}` },
    body,
  }).catch((e: Error) => e);
  const tunnel = (await waitFor(
    () => {
      const x = hub.get(TunnelRegistry).get(stuck.serverId);
      return x && x.congested ? x : undefined;
    },
    10000,
    'the tunnel to congest',
  ))!;
  // bounded: the hub stopped feeding the socket shortly after the high-water mark
  await sleep(300);
  expect(tunnel.bufferedAmount).toBeLessThan(4 * 1024 * 1024);
  expect(tunnel.congestedSince).not.toBeNull();
  tunnel.congestedSince = hub.clock.now() - 91_000; // stuck for longer than the idle timeout
  await hub.get(TunnelRegistry).heartbeatTick();
  expect(tunnel.state).toBe('closed');
  expect(tunnel.closeReason).toBe('backpressure_timeout');
  const r = await upload;
  if (!(r instanceof Error)) expect(r.status).toBe(503);
  t.close();
});

test('released server: its tunnel is closed and presence drops', async () => {
  const mine = await pairServer(hub, owner);
  const t = await RawTunnel.open(tunnelUrl(hub), { serverId: mine.serverId, enrollmentJwt: mine.enrollmentJwt });
  await hub
    .http()
    .delete(`/api/v1/me/servers/${mine.serverId}`)
    .set(owner.auth)
    .expect((r) => expect([200, 204]).toContain(r.status));
  const c = await t.waitClose();
  expect(c.reason).toMatch(/^server[._](unclaimed|released)$/);
  expect(presence().isActive(mine.serverId)).toBe(false);
  // the revoked enrollment cannot come back
  const again = await RawTunnel.connect(tunnelUrl(hub));
  again.hello(mine.serverId, mine.enrollmentJwt);
  expect((await again.waitClose()).reason).toBe('unauthorized');
});

test('dedicated relay port: tunnel at the bare root; plain HTTP there is 426', async () => {
  const addr = hub.get(RelayGateway).relayPortAddress() as AddressInfo;
  expect(addr.port).toBeGreaterThan(0);
  const t = await RawTunnel.open(`ws://127.0.0.1:${addr.port}/`, {
    serverId: srv.serverId,
    enrollmentJwt: srv.enrollmentJwt,
  });
  expect(presence().isActive(srv.serverId)).toBe(true);
  t.close();
  const r = await rawRequest(`http://127.0.0.1:${addr.port}/`);
  expect(r.status).toBe(426);
  expect(JSON.parse(r.body.toString()).code).toBe('relay.upgrade_required');
});

test('an upgrade to an unknown path on the main port is refused; HTTP keeps working', async () => {
  const ws = new WebSocket(`${tunnelUrl(hub).replace('/api/v1/relay/tunnel', '/api/v1/nope')}`);
  const err = await new Promise<Error>((res) => ws.on('error', res));
  expect(err.message).toMatch(/404|Unexpected/);
  expect((await rawRequest(`${hubUrl(hub)}/api/v1/me`)).status).toBe(401);
});

test('orphaned open sessions of this node are closed at start (reconcile)', async () => {
  const svc = hub.get(RelaySessionsService);
  const id = randomUUID();
  await sessions().insert({
    id,
    serverId: srv.serverId,
    tunnelId: randomUUID(),
    workerNode: svc.node,
    remoteIp: null,
    flowControl: 'plain',
    openedAt: hub.clock.now(),
    closedAt: null,
    lastFrameAt: hub.clock.now(),
    bytesIn: 0,
    bytesOut: 0,
    closeReason: null,
  });
  await svc.reconcile(180_000);
  expect((await sessions().findOneByOrFail({ id })).closeReason).toBe('reconciled_on_start');
});

describe('connect rate limit', () => {
  let limited: TestHub;
  beforeAll(async () => {
    limited = await relayHub({
      HUB_RELAY_CONNECT_LIMIT: '2',
      HUB_RELAY_PORT_ENABLED: 'false',
      HUB_RELAY_HELLO_TIMEOUT: '1',
    });
  });
  afterAll(async () => {
    await limited.close();
  });

  test('over the per-IP limit: closed with 1013 before any HELLO is read', async () => {
    const a = await RawTunnel.connect(tunnelUrl(limited));
    const b = await RawTunnel.connect(tunnelUrl(limited));
    const c = await RawTunnel.connect(tunnelUrl(limited));
    expect((await c.waitClose()).code).toBe(1013);
    expect(a.open && b.open).toBe(true);
    expect(limited.get(RelayGateway).relayPortAddress()).toBeNull();
    a.close();
    b.close();
  });

  test('a connection that never says HELLO is closed (hello_timeout)', async () => {
    limited.clock.advance(61_000); // a fresh rate-limit window
    const t = await RawTunnel.connect(tunnelUrl(limited));
    expect(await t.waitClose(4000)).toEqual({ code: 1008, reason: 'hello_timeout' });
  });
});
