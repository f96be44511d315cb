import { request as httpRequest, type IncomingMessage } from 'node:http';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import type { PairedServer } from './helpers/servers.js';
import { proxyUrl, waitFor } from './helpers/relay.js';
import type { TestOrigin } from './helpers/relay-origin.js';
import { ownerRelay, type OwnerRelay } from './helpers/owner-relay.js';

/**
 * Changes made on another hub process reach only the database: a share revoked or a user disabled
 * there must still end the live relayed streams of this process within about a second.
 */
let hub: TestHub;
let owner: TestUser;
let origin: TestOrigin;
let server: PairedServer;

let setup: OwnerRelay;
beforeAll(async () => {
  ({ hub, owner, origin, server } = setup = await ownerRelay());
});
afterAll(() => setup.close());

async function grantee(): Promise<TestUser> {
  const u = await registerUser(hub);
  await hub
    .http()
    .post('/api/v1/me/shares')
    .set(owner.auth)
    .send({ server_id: server.serverId, username: u.username, permission: 'download' })
    .expect(201);
  return u;
}

/** A slow endless download through the relay; resolves once bytes flow, `ended` when it stops. */
function slowStream(u: TestUser, id: string): Promise<{ res: IncomingMessage; ended: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = httpRequest(proxyUrl(hub, server.serverId, `/slow/${id}`), { headers: u.auth, agent: false }, (res) => {
      const ended = new Promise<number>((done) => {
        res.on('close', () => done(Date.now()));
        res.on('error', () => done(Date.now()));
      });
      res.once('data', () => resolve({ res, ended }));
      res.resume();
    });
    req.on('error', (e) => (Date.now() - started < 100 ? reject(e) : undefined));
    req.end();
  });
}

test('a share revoked by another process (only its row changes) ends the live stream here', async () => {
  const u = await grantee();
  const { ended } = await slowStream(u, 'remote-revoke');
  const at = Date.now();
  await hub.ds.query(
    'UPDATE library_shares SET revoked_at = ?, active_key = NULL, updated_at = ? WHERE grantee_id = ?',
    [hub.clock.now(), hub.clock.now(), u.id],
  );
  const endedAt = await Promise.race([ended, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
  expect(endedAt).toBeGreaterThan(0);
  expect(endedAt - at).toBeLessThan(6000);
  await waitFor(() => origin.closedSlow.has('remote-revoke'), 5000, 'the origin request to be cancelled');
});

test('a grantee disabled by another process ends their live stream here', async () => {
  const u = await grantee();
  const { ended } = await slowStream(u, 'remote-disable');
  const at = Date.now();
  await hub.ds.query('UPDATE users SET disabled = 1 WHERE id = ?', [u.id]);
  try {
    const endedAt = await Promise.race([ended, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
    expect(endedAt).toBeGreaterThan(0);
    expect(endedAt - at).toBeLessThan(6000);
  } finally {
    await hub.ds.query('UPDATE users SET disabled = 0 WHERE id = ?', [u.id]);
  }
});

test('a stream whose share did not change keeps flowing', async () => {
  const u = await grantee();
  const { res, ended } = await slowStream(u, 'untouched');
  let bytes = 0;
  res.on('data', (c: Buffer) => (bytes += c.length));
  const early = await Promise.race([ended, new Promise<number>((r) => setTimeout(() => r(-1), 3000))]);
  expect(early).toBe(-1);
  expect(bytes).toBeGreaterThan(10_000);
  res.destroy();
});
