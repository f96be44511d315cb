import { randomBytes, randomInt } from 'node:crypto';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubUrl, rawRequest, RawTunnel, relayHub, startAgent, tunnelUrl, waitFor } from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import { FIRST_REQUEST_ID, FrameType, encodeFrame } from '../src/relay/codec/index.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';
import { RelayPresence } from '../src/common/relay-presence.js';
import { TunnelRegistry } from '../src/relay/tunnel/registry.js';

const TOTAL = 10_000;
let hub: TestHub;
let owner: TestUser;
let origin: TestOrigin;
let agent: RelayAgent;
let good: PairedServer;
let target: PairedServer;

beforeAll(async () => {
  hub = await relayHub({ HUB_RELAY_TTFB_TIMEOUT: '2', HUB_RELAY_STREAM_IDLE_TIMEOUT: '2' });
  owner = await registerUser(hub);
  origin = await startTestOrigin();
  good = await pairServer(hub, owner);
  target = await pairServer(hub, owner);
  agent = await startAgent(hub, good, origin.url);
});
afterAll(async () => {
  await agent.stop();
  await hub.close();
  await origin.close();
});

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!;
const ACCEPTED = [FrameType.HEARTBEAT, FrameType.DATA, FrameType.HTTP_RESPONSE, FrameType.HTTP_CANCEL] as const;

/** One random message: mostly well-formed frames a server may send, with random ids and payloads
 *  (HTTP_RESPONSE ids near the hub's request ids, so garbage hits live requests), sometimes
 *  unknown/forbidden types, truncated or concatenated frames, raw noise or a text message. */
function randomMessage(): { data: Buffer | string; frames: number } {
  const roll = randomInt(100);
  const payload = () => {
    const r = randomInt(10);
    if (r < 3) return Buffer.from([pick([1, 2, 3, 4, 0x7b, 0]), ...randomBytes(randomInt(64))]);
    if (r < 4) {
      return Buffer.concat([
        Buffer.from([1]),
        Buffer.from(
          JSON.stringify({
            status: pick([200, 206, 99, 700, -1]),
            headers: { 'X-A': 'b', 'Bad\r\nName': 'x' },
            bodyLength: pick([null, 0, 10, -5]),
          }),
        ),
      ]);
    }
    return randomBytes(randomInt(pick([8, 300, 3000])));
  };
  const frame = () => {
    const type = pick(ACCEPTED);
    const id =
      type === FrameType.HTTP_RESPONSE || type === FrameType.HTTP_CANCEL
        ? FIRST_REQUEST_ID + randomInt(40)
        : randomInt(2 ** 32);
    return encodeFrame(type, id, type === FrameType.HEARTBEAT ? Buffer.alloc(0) : payload());
  };
  if (roll < 80) return { data: frame(), frames: 1 };
  if (roll < 88) {
    const n = 2 + randomInt(6);
    return { data: Buffer.concat(Array.from({ length: n }, frame)), frames: n };
  }
  if (roll < 94) {
    const b = Buffer.alloc(7 + randomInt(20));
    b.writeUInt32BE(randomInt(2 ** 32), 0);
    b[4] = pick([0, 1, 2, 3, 4, 7, 8, 9, 0x0f, 0x10, 0x13, 0x7b, 0xff]);
    b.writeUInt16BE(b.length - 7, 5);
    return { data: b, frames: 1 };
  }
  if (roll < 97) return { data: frame().subarray(0, 3 + randomInt(4)), frames: 1 };
  if (roll < 99) return { data: randomBytes(1 + randomInt(200)), frames: 1 };
  return { data: '{"type":"hello"}', frames: 1 };
}

test(`${TOTAL} random frames at a tunnel: it is closed with reasons, the hub and the other tunnels keep working`, async () => {
  let sent = 0;
  let tunnels = 0;
  const reasons = new Map<string, number>();
  const auth = { Authorization: `Bearer ${owner.token}` };
  const background: Promise<unknown>[] = [];
  while (sent < TOTAL) {
    const t = await RawTunnel.open(tunnelUrl(hub), { serverId: target.serverId, enrollmentJwt: target.enrollmentJwt });
    tunnels++;
    // requests in flight on the fuzzed tunnel: they must end (502/503/504 or an abort), never hang the hub
    for (let i = 0; i < 3; i++) {
      background.push(
        rawRequest(`${hubUrl(hub)}/api/v1/servers/${target.serverId}/proxy/x${i}`, { headers: auth }).catch(
          () => 'aborted',
        ),
      );
    }
    await waitFor(
      () => (hub.get(TunnelRegistry).get(target.serverId)?.streamCount ?? 0) >= 3,
      3000,
      'requests in flight',
    );
    while (t.open && sent < TOTAL) {
      const m = randomMessage();
      t.ws.send(m.data);
      sent += m.frames;
      if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    t.close();
    const c = await t.closed;
    reasons.set(c.reason || String(c.code), (reasons.get(c.reason || String(c.code)) ?? 0) + 1);
    if (tunnels % 25 === 0) {
      const r = await rawRequest(`${hubUrl(hub)}/api/v1/servers/${good.serverId}/proxy/echo`, { headers: auth });
      expect(r.status).toBe(200);
    }
  }
  const settled = await Promise.all(background);
  const statuses = settled.map((r) => (typeof r === 'object' ? (r as { status: number }).status : r));
  for (const st of statuses) expect([200, 206, 502, 503, 504, 'aborted']).toContain(st);
  // garbage reached live requests: some failed as bad gateway or were aborted mid-response
  expect(statuses.some((st) => st === 502 || st === 'aborted')).toBe(true);
  expect(tunnels).toBeGreaterThan(1);
  expect([...reasons.keys()].some((k) => ['invalid_frame', 'protocol_error'].includes(k))).toBe(true);
  // still serving: HTTP, the agent's tunnel, and a fresh tunnel for the fuzzed server
  expect((await rawRequest(`${hubUrl(hub)}/api/v1/me`, { headers: auth })).status).toBe(200);
  const ok = await rawRequest(`${hubUrl(hub)}/api/v1/servers/${good.serverId}/proxy/video.mp4`, {
    headers: { ...auth, Range: 'bytes=0-9' },
  });
  expect(ok.status).toBe(206);
  const again = await RawTunnel.open(tunnelUrl(hub), {
    serverId: target.serverId,
    enrollmentJwt: target.enrollmentJwt,
  });
  expect(hub.get(RelayPresence).isActive(target.serverId)).toBe(true);
  again.close();
  await waitFor(() => hub.get(RelayPresence).activeStreams() === 0, 5000, 'every stream to end');
}, 60000);
