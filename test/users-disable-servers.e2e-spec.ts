import { registerAdmin, registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, sendHeartbeat, type PairedServer } from './helpers/servers.js';
import { proxyUrl, RawTunnel, rawRequest, relayHub, startAgent, tunnelUrl, waitFor } from './helpers/relay.js';
import { startTestOrigin } from './helpers/relay-origin.js';
import { RelayPresence } from '../src/common/relay-presence.js';
import { AccessService } from '../src/sharing/access.service.js';

/** Disabling a user ends their servers' presence at once; re-enabling restores it (same enrollment). */
let hub: TestHub;
let admin: TestUser;
let owner: TestUser;
let grantee: TestUser;
let s: PairedServer;

beforeAll(async () => {
  hub = await relayHub();
  admin = await registerAdmin(hub);
  owner = await registerUser(hub);
  grantee = await registerUser(hub);
  s = await pairServer(hub, owner);
  // raw-channel tokens need the owner's explicit grant on a whole-server download share
  await hub
    .http()
    .post('/api/v1/me/shares')
    .set(owner.auth)
    .send({ server_id: s.serverId, username: grantee.username, permission: 'download', allow_raw_channels: true })
    .expect(201);
});
afterAll(async () => {
  await hub.close();
});

/** Disabling ends a user's sessions: sign in again afterwards. */
async function signIn(u: TestUser): Promise<void> {
  const r = await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: u.username, password: u.password })
    .expect(200);
  u.token = r.body.access_token;
  u.auth = { Authorization: `Bearer ${u.token}` };
}
const setDisabled = (u: TestUser, disabled: boolean) =>
  hub.http().patch(`/api/v1/admin/users/${u.id}`).set(admin.auth).send({ disabled }).expect(200);
const relayToken = () => hub.http().post(`/api/v1/me/servers/${s.serverId}/relay-token`).set(grantee.auth);
const renew = (p: PairedServer) => hub.http().post(`/api/v1/servers/${p.serverId}/renew`).set(p.auth);
const grantAllowed = async () =>
  (await hub.get(AccessService).decide(grantee.id, s.serverId, null, 'download')).allowed;

async function helloRefused(): Promise<{ code: number; reason: string }> {
  const t = await RawTunnel.connect(tunnelUrl(hub));
  t.hello(s.serverId, s.enrollmentJwt);
  return t.waitClose();
}

test('disabling the owner: tunnel closed at once; HELLO, heartbeat and renew refused; grantees lose relay access and raw-channel tokens', async () => {
  const t = await RawTunnel.open(tunnelUrl(hub), s);
  await waitFor(() => hub.get(RelayPresence).isActive(s.serverId), 3000, 'tunnel active');
  await sendHeartbeat(hub, s).expect(200);
  expect(await grantAllowed()).toBe(true);
  await relayToken().expect(201);

  await setDisabled(owner, true);
  expect(hub.get(RelayPresence).isActive(s.serverId)).toBe(false);
  expect(await t.waitClose(2000)).toMatchObject({ reason: 'owner_disabled' });
  expect(await helloRefused()).toMatchObject({ code: 1008, reason: 'unauthorized' });
  expect(hub.get(RelayPresence).isActive(s.serverId)).toBe(false);
  const hb = await sendHeartbeat(hub, s);
  expect([hb.status, hb.body.code]).toEqual([403, 'server.owner_disabled']);
  const rn = await renew(s);
  expect([rn.status, rn.body.code]).toEqual([403, 'server.owner_disabled']);
  expect(await grantAllowed()).toBe(false);
  const tok = await relayToken();
  expect(tok.status).toBe(404);
  const proxied = await rawRequest(proxyUrl(hub, s.serverId, '/'), {
    headers: { Authorization: `Bearer ${grantee.token}` },
  });
  expect(proxied.status).not.toBe(200);
});

test('re-enabling the owner: the server reconnects with its existing enrollment; heartbeat, renew and grantee access work again', async () => {
  await setDisabled(owner, false);
  const t = await RawTunnel.open(tunnelUrl(hub), s);
  await waitFor(() => hub.get(RelayPresence).isActive(s.serverId), 3000, 'tunnel active');
  await sendHeartbeat(hub, s).expect(200);
  expect(await grantAllowed()).toBe(true);
  await relayToken().expect(201);
  await renew(s).expect(200);
  t.close();
});

test("disabling a grantee does not touch the owner's server", async () => {
  await signIn(owner);
  const other = await pairServer(hub, owner);
  const t = await RawTunnel.open(tunnelUrl(hub), other);
  await setDisabled(grantee, true);
  await sendHeartbeat(hub, other).expect(200);
  expect(t.open).toBe(true);
  await setDisabled(grantee, false);
  t.close();
});

test('with the agent: disabling takes its tunnel down and keeps it down without dropping its enrollment; re-enabling brings it back', async () => {
  await signIn(owner);
  await signIn(grantee);
  const p = await pairServer(hub, owner);
  await hub
    .http()
    .post('/api/v1/me/shares')
    .set(owner.auth)
    .send({ server_id: p.serverId, username: grantee.username, permission: 'download' })
    .expect(201);
  const origin = await startTestOrigin();
  const agent = await startAgent(hub, p, origin.url);
  const revoked: string[] = [];
  agent.on('revoked', (why: string) => revoked.push(why));
  const viaRelay = () =>
    rawRequest(proxyUrl(hub, p.serverId, '/hello'), { headers: { Authorization: `Bearer ${grantee.token}` } });
  try {
    expect((await viaRelay()).status).toBe(200);
    const down = new Promise<string>((res) => agent.once('tunnel-down', res));
    await setDisabled(owner, true);
    expect(await down).toBe('owner_disabled');
    await new Promise((r) => setTimeout(r, 1500)); // several refused reconnects (backoff 50–500 ms)
    expect(hub.get(RelayPresence).isActive(p.serverId)).toBe(false);
    expect((await viaRelay()).status).not.toBe(200);
    expect(revoked).toEqual([]);
    await setDisabled(owner, false);
    await waitFor(() => hub.get(RelayPresence).isActive(p.serverId), 5000, 'agent back');
    expect((await viaRelay()).status).toBe(200);
  } finally {
    await agent.stop();
    await origin.close();
  }
});

test('an owner disabled by another hub process (only the database row changes): the tunnel closes within about a second', async () => {
  await signIn(owner);
  const p = await pairServer(hub, owner);
  const t = await RawTunnel.open(tunnelUrl(hub), p);
  await waitFor(() => hub.get(RelayPresence).isActive(p.serverId), 3000, 'tunnel active');
  // what another process's disable leaves behind: the row, and no event in this process
  await hub.ds.query('UPDATE users SET disabled = 1 WHERE id = ?', [owner.id]);
  try {
    expect(await t.waitClose(8000)).toMatchObject({ reason: 'owner_disabled' });
    expect(hub.get(RelayPresence).isActive(p.serverId)).toBe(false);
  } finally {
    await hub.ds.query('UPDATE users SET disabled = 0 WHERE id = ?', [owner.id]);
  }
});
