import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, PROTO } from './helpers/servers.js';
import {
  hubUrl,
  rawRequest,
  RawTunnel,
  relayHub,
  startAgent,
  tunnelUrl,
  waitFor,
  withTimeout,
  proxyUrl,
} from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import { RelayAgent } from '../src/agent/relay-agent.js';
import { STATE_FILE } from '../src/agent/agent-state.js';
import { runAgent } from '../src/agent/agent-cli.js';
import { RelayPresence } from '../src/common/relay-presence.js';
import { TunnelRegistry } from '../src/relay/tunnel/registry.js';

let hub: TestHub;
let owner: TestUser;
let origin: TestOrigin;
const running: RelayAgent[] = [];

beforeAll(async () => {
  hub = await relayHub({ HUB_RELAY_DRAIN_GRACE_MS: '1500' });
  owner = await registerUser(hub);
  origin = await startTestOrigin();
});
afterAll(async () => {
  await Promise.all(running.map((a) => a.stop()));
  await hub.close();
  await origin.close();
});

const tmp = () => mkdtempSync(join(tmpdir(), 'phlix-agent-'));
const auth = () => ({ Authorization: `Bearer ${owner.token}` });
const proxy = (serverId: string, path: string) => proxyUrl(hub, serverId, path);
const presence = () => hub.get(RelayPresence);

function newAgent(o: Partial<ConstructorParameters<typeof RelayAgent>[0]> = {}): RelayAgent {
  const a = new RelayAgent({
    hubUrl: hubUrl(hub),
    origin: origin.url,
    dataDir: tmp(),
    reconnectBaseMs: 50,
    reconnectMaxMs: 400,
    claimPollMs: 50,
    heartbeatIntervalMs: 3_600_000,
    now: () => hub.clock.now(),
    ...o,
  });
  running.push(a);
  return a;
}

const up = (a: RelayAgent) => withTimeout(new Promise((r) => a.once('tunnel-up', r)), 5000, 'tunnel up');

test('claim token: paired without a code, enrollment kept in a 0600 file, requests relayed', async () => {
  const tok = await hub.http().post('/api/v1/me/claim-tokens').set(owner.auth).expect(201);
  const a = newAgent({ claimToken: tok.body.claim_token, serverName: 'Agent NAS' });
  const codes: string[] = [];
  a.on('claim-code', (c: string) => codes.push(c));
  const isUp = up(a);
  await a.start();
  await isUp;
  expect(codes).toEqual([]);
  const file = join(a.state.dataDir, STATE_FILE);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  expect(saved.server_id).toBe(a.state.data.server_id);
  expect(saved.enrollment_jwt).toMatch(/^ey/);
  const mine = await hub.http().get('/api/v1/me/servers').set(owner.auth).expect(200);
  const info = (mine.body.servers ?? mine.body).find((s: { serverId: string }) => s.serverId === saved.server_id);
  expect(info).toMatchObject({ serverName: 'Agent NAS', relayActive: true });
  const r = await rawRequest(proxy(saved.server_id, '/echo'), { headers: auth() });
  expect(r.status).toBe(200);
  expect(a.tunnel?.creditMode).toBe(true);
});

test('claim code: printed, redeemed by the owner, then the agent enrolls and connects', async () => {
  const a = newAgent();
  const code = new Promise<string>((r) => a.once('claim-code', r));
  const started = a.start();
  started.catch(() => undefined); // awaited below; a failing step must not leave it unhandled
  const c = await withTimeout(code, 5000, 'claim code');
  expect(c).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  await hub.http().post('/api/v1/server-claims/claim').set(PROTO).set(owner.auth).send({ claim_code: c }).expect(200);
  await started;
  await waitFor(() => presence().isActive(a.state.data.server_id!), 5000, 'tunnel');
});

test('reconnect: when the hub drops the tunnel the agent comes back and relays again', async () => {
  const s = await pairServer(hub, owner);
  const a = await startAgent(hub, s, origin.url);
  running.push(a);
  const first = a.tunnel!.relaySessionId;
  const back = up(a);
  await presence().closeTunnel(s.serverId, 'test_drop');
  await back;
  expect(a.tunnel!.relaySessionId).not.toBe(first);
  expect((await rawRequest(proxy(s.serverId, '/echo'), { headers: auth() })).status).toBe(200);
  // and after a reaped (idle) tunnel too
  const again = up(a);
  hub.clock.advance(120_000);
  await hub.get(TunnelRegistry).reapIdle();
  await again;
  expect((await rawRequest(proxy(s.serverId, '/echo'), { headers: auth() })).status).toBe(200);
});

test('a newer verified tunnel takes over; the old one finishes its request during the drain grace', async () => {
  const s = await pairServer(hub, owner);
  const a = await startAgent(hub, s, origin.url, { reconnectBaseMs: 5000, reconnectMaxMs: 5000 });
  running.push(a);
  const got: number[] = [];
  const streamEnded = new Promise<void>((resolve) => {
    const req = httpRequest(proxy(s.serverId, '/slow/drain'), { headers: auth(), agent: false }, (res) => {
      res.on('data', (c: Buffer) => got.push(c.length));
      res.on('close', () => resolve());
    });
    req.on('error', () => resolve());
    req.end();
  });
  await waitFor(() => got.length > 0, 3000, 'first bytes');
  const b = await RawTunnel.open(tunnelUrl(hub), { serverId: s.serverId, enrollmentJwt: a.state.data.enrollment_jwt! });
  expect(hub.get(TunnelRegistry).get(s.serverId)?.sessionId).not.toBe(a.tunnel?.relaySessionId);
  const during = got.length;
  await new Promise((r) => setTimeout(r, 700));
  expect(got.length).toBeGreaterThan(during); // still streaming on the old tunnel
  await withTimeout(streamEnded, 4000, 'drain grace end');
  await waitFor(() => a.tunnel === null, 3000, 'old tunnel closed');
  b.close();
});

test('unclaimed by the owner: the tunnel closes and the agent stops as revoked', async () => {
  const s = await pairServer(hub, owner);
  const a = await startAgent(hub, s, origin.url);
  running.push(a);
  const revoked = withTimeout(new Promise<string>((r) => a.once('revoked', r)), 5000, 'revoked');
  await hub.http().delete(`/api/v1/me/servers/${s.serverId}`).set(owner.auth);
  expect(await revoked).toMatch(/^server[._]/);
  expect(a.tunnel).toBeNull();
});

test('release: deregisters from the hub and forgets the enrollment (the key stays)', async () => {
  const s = await pairServer(hub, owner);
  const a = await startAgent(hub, s, origin.url);
  const key = a.state.data.public_jwk.x;
  await a.release();
  expect(a.state.enrolled).toBe(false);
  expect(JSON.parse(readFileSync(a.state.file, 'utf8')).public_jwk.x).toBe(key);
  expect(presence().isActive(s.serverId)).toBe(false);
  const mine = await hub.http().get('/api/v1/me/servers').set(owner.auth).expect(200);
  expect((mine.body.servers ?? mine.body).some((x: { serverId: string }) => x.serverId === s.serverId)).toBe(false);
});

test('runAgent (the CLI body) prints the claim code and exits cleanly on stop', async () => {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: () => undefined };
  let stop!: () => void;
  const stopSignal = new Promise<void>((r) => (stop = r));
  const dataDir = tmp();
  const done = runAgent({ hub: hubUrl(hub), origin: origin.url, dataDir }, io, stopSignal);
  const line = await waitFor(() => lines.find((l) => l.startsWith('Claim code:')), 5000, 'claim code line');
  const code = /Claim code: (\S+)/.exec(line!)![1];
  await hub
    .http()
    .post('/api/v1/server-claims/claim')
    .set(PROTO)
    .set(owner.auth)
    .send({ claim_code: code })
    .expect(200);
  await waitFor(() => lines.includes('Relay tunnel up'), 8000, 'tunnel line');
  expect(lines.some((l) => /^Claimed! Server ID: [0-9a-f-]{36}$/.test(l))).toBe(true);
  stop();
  expect(await done).toBe(0);
  await expect(runAgent({ dataDir: tmp() }, io)).rejects.toThrow(/--hub is required/);
});

test('origin down: the agent answers 502 {error, code: origin.unreachable} without the origin address; the detail goes to its log', async () => {
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const port = (dead.address() as AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r()));
  const s = await pairServer(hub, owner);
  const logged: string[] = [];
  const a = await startAgent(hub, s, `http://127.0.0.1:${port}`, { log: (m) => logged.push(m) });
  running.push(a);
  const r = await rawRequest(proxy(s.serverId, '/library/items'), { headers: auth() });
  expect(r.status).toBe(502);
  expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
  const body = JSON.parse(r.body.toString('utf8'));
  expect(body).toEqual({ error: expect.any(String), code: 'origin.unreachable' });
  const text = r.body.toString('utf8');
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain(String(port));
  expect(text).not.toMatch(/ECONNREFUSED/);
  expect(logged.some((l) => l.includes('ECONNREFUSED') && l.includes(String(port)))).toBe(true);
});

// last: it moves the hub clock by days
test('renewal: past half of the enrollment lifetime the agent renews and reconnects with the new token', async () => {
  const s = await pairServer(hub, owner);
  const a = await startAgent(hub, s, origin.url, { heartbeatIntervalMs: 100 });
  running.push(a);
  const back = up(a);
  hub.clock.advance(4 * 24 * 3600 * 1000); // 4 of 7 days
  await back;
  expect(a.state.data.enrollment_jwt).not.toBe(s.enrollmentJwt);
  expect(presence().isActive(s.serverId)).toBe(true);
  // (the owner's access token expired with the jump: sign in again)
  const login = await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: owner.username, password: owner.password })
    .expect(200);
  const r = await rawRequest(proxy(s.serverId, '/echo'), {
    headers: { Authorization: `Bearer ${login.body.access_token}` },
  });
  expect(r.status).toBe(200);
});
