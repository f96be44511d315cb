import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import {
  pairServer,
  PairedServer,
  pollClaim,
  PROTO,
  claimRequestBody,
  provenClaimBody,
  redeemCode,
  sendHeartbeat,
  startClaim,
} from './helpers/servers.js';
import { HubEvents } from '../src/common/hub-events.js';
import { AccessService } from '../src/sharing/access.service.js';
import { ClaimBindingService } from '../src/servers/claim-binding.service.js';
import { ServerClaim } from '../src/servers/entities/server-claim.entity.js';
import { sha256Hex as sha256 } from '../src/common/sha256.js';

/**
 * A server's public key is not secret: claims/new with someone else's key must not let another
 * account take, touch or block a claimed server. An unproven claim of an owned key gives the
 * claimer a server row of its own (no real server behind it); only a claim proven with the key
 * (keyProof) may move a server; a released server stays claimable by anyone.
 * (Until the pairing hardening an unproven claim of an owned key was refused with 409, which let
 * whoever claimed a key first block its owner; and a Bearer enrollment counted as proof.)
 */
let hub: TestHub;
let admin: TestUser;
let alice: TestUser;
let mallory: TestUser;
let bob: TestUser;
let dave: TestUser;
const released: Record<string, unknown>[] = [];
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
  alice = await registerUser(hub);
  mallory = await registerUser(hub);
  bob = await registerUser(hub);
  dave = await registerUser(hub);
  hub.get(HubEvents).on('server.released', (p) => {
    released.push(p);
  });
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  released.length = 0;
});

const owner = async (id: string) =>
  (await hub.ds.query('SELECT owner_id FROM servers WHERE id = ?', [id]))[0]?.owner_id ?? 'missing';
const n = async (sql: string, p: unknown[]) => Number((await hub.ds.query(sql, p))[0].n);
const activeShares = (serverId: string) =>
  n('SELECT COUNT(*) AS n FROM library_shares WHERE server_id = ? AND revoked_at IS NULL', [serverId]);
const daveCanBrowse = async (serverId: string) =>
  (await hub.get(AccessService).decide(dave.id, serverId, null, 'browse')).allowed;
/** the server rows of a key, as a set (id → owner) */
const rowsOfKey = async (thumb: string) =>
  Object.fromEntries(
    (
      (await hub.ds.query('SELECT id, owner_id FROM servers WHERE key_thumbprint = ?', [thumb])) as {
        id: string;
        owner_id: string | null;
      }[]
    ).map((r) => [r.id, r.owner_id]),
  );

/** Alice's server, heartbeating, shared with Dave. */
async function victim(name: string): Promise<PairedServer> {
  const s = await pairServer(hub, alice, { name });
  await sendHeartbeat(hub, s).expect(200);
  await hub
    .http()
    .post('/api/v1/me/shares')
    .set(alice.auth)
    .send({ server_id: s.serverId, library_id: null, username: dave.username, permission: 'play' })
    .expect(201);
  return s;
}

async function expectUntouched(s: PairedServer) {
  expect(await owner(s.serverId)).toBe(alice.id);
  expect((await sendHeartbeat(hub, s)).status).toBe(200); // its enrollment still works
  expect(await activeShares(s.serverId)).toBe(1);
  expect(await daveCanBrowse(s.serverId)).toBe(true);
  expect(released).toEqual([]);
  const mine = await hub.http().get('/api/v1/me/servers').set(alice.auth).expect(200);
  expect(mine.body.servers.some((x: { serverId: string }) => x.serverId === s.serverId)).toBe(true);
}

test("an attacker with only the public key pairs a server row of its own: the owner's server, enrollment and shares are untouched", async () => {
  const s = await victim('Victim NAS');
  const started = await startClaim(hub, s.key, { name: 'Evil twin', hostnameCandidates: ['evil.example'] });
  expect(started.status).toBe('pending');
  const r = await redeemCode(hub, mallory, started.claimCode);
  expect(r.status).toBe(200);
  expect(r.body.server_id).not.toBe(s.serverId);
  await expectUntouched(s);
  const mine = (await hub.ds.query('SELECT name, hostname_candidates FROM servers WHERE id = ?', [s.serverId]))[0];
  expect(mine).toEqual({ name: 'Victim NAS', hostname_candidates: JSON.stringify(['192.168.1.10']) }); // as its last heartbeat said
  // the copier's enrollment is for its own row: it cannot open a tunnel or heartbeat as Alice's server
  const polled = await pollClaim(hub, started.claimId).expect(200);
  expect(polled.body.server_id).toBe(r.body.server_id);
  const hb = await hub
    .http()
    .post(`/api/v1/servers/${s.serverId}/heartbeat`)
    .set({ Authorization: `Bearer ${polled.body.enrollment_jwt}`, ...PROTO })
    .send({});
  expect(hb.status).toBe(403);
  expect(hb.body.code).toBe('auth.server_mismatch');
  expect(await rowsOfKey(s.key.thumbprint)).toEqual({ [s.serverId]: alice.id, [r.body.server_id]: mallory.id });
  // Alice re-pairing her own server is not blocked by the copy
  const again = await pairServer(hub, alice, { key: s.key });
  expect(again.serverId).toBe(s.serverId);
  expect(released).toEqual([]);
});
test("a Bearer on claims/new proves nothing, not even the server's current enrollment: only a key proof does", async () => {
  const s = await victim('Victim 2');
  const mallorys = await pairServer(hub, mallory, { name: 'Mallory own' });
  for (const bearer of [s.enrollmentJwt, mallorys.enrollmentJwt, 'not.a.jwt']) {
    const started = await hub
      .http()
      .post('/api/v1/server-claims/new')
      .set(PROTO)
      .set({ Authorization: `Bearer ${bearer}` })
      .send(claimRequestBody(s.key))
      .expect(200);
    const row = await hub.ds
      .getRepository(ServerClaim)
      .findOneByOrFail({ keyThumbprint: s.key.thumbprint, status: 'pending' });
    expect(row.proven).toBe(false);
    const r = await redeemCode(hub, bob, started.body.claimCode);
    expect(r.status).toBe(200);
    expect(r.body.server_id).not.toBe(s.serverId);
  }
  await expectUntouched(s);
});
test('proven claims get their own codes too; once the key has proven itself, unproven claims of it are refused (403)', async () => {
  const s = await victim('Slots');
  const unprovenEarlier = await startClaim(hub, s.key);
  const proven = await startClaim(hub, s.key, { prove: true });
  const provenAgain = await startClaim(hub, s.key, { prove: true });
  expect(provenAgain.claimCode).not.toBe(proven.claimCode);
  expect(provenAgain.claimId).not.toBe(proven.claimId);
  const r = await hub.http().post('/api/v1/server-claims/new').set(PROTO).send(claimRequestBody(s.key));
  expect(r.status).toBe(403);
  expect(r.body.code).toBe('claim.key_proof_required');
  // a code handed out before the first proof no longer pairs either
  const late = await redeemCode(hub, mallory, unprovenEarlier.claimCode);
  expect(late.status).toBe(403);
  expect(late.body.code).toBe('claim.key_proof_required');
  await expectUntouched(s);
  const row = await hub.ds.getRepository(ServerClaim).findOneByOrFail({ pollHash: sha256(proven.claimId) });
  expect(row.proven).toBe(true);
});
test('a proven re-pair to another account transfers the server: old claim, enrollment and shares end', async () => {
  const s = await victim('Moving proven');
  const started = await startClaim(hub, s.key, { name: 'Moving proven', prove: true });
  expect((await sendHeartbeat(hub, s)).status).toBe(200); // still Alice's while pending
  const r = await redeemCode(hub, bob, started.claimCode);
  expect(r.status).toBe(200);
  expect(r.body.server_id).toBe(s.serverId);
  expect(await owner(s.serverId)).toBe(bob.id);
  expect(released).toEqual([{ serverId: s.serverId, previousOwnerId: alice.id, reason: 'reclaimed' }]);
  expect((await sendHeartbeat(hub, s)).status).toBe(401);
  expect(await activeShares(s.serverId)).toBe(0);
  expect(await daveCanBrowse(s.serverId)).toBe(false);
  const polled = await pollClaim(hub, started.claimId).expect(200);
  expect(polled.body.server_id).toBe(s.serverId);
  const bobs: PairedServer = {
    ...s,
    enrollmentJwt: polled.body.enrollment_jwt,
    auth: { Authorization: `Bearer ${polled.body.enrollment_jwt}`, ...PROTO },
  };
  expect((await sendHeartbeat(hub, bobs)).status).toBe(200);
  expect(
    await n("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'server.reclaimed' AND target_id = ?", [s.serverId]),
  ).toBe(1);
});

test('the owner re-pairing its own server needs no proof (only the enrollment is replaced)', async () => {
  const s = await victim('Own re-pair');
  const again = await pairServer(hub, alice, { key: s.key });
  expect(again.serverId).toBe(s.serverId);
  expect(await owner(s.serverId)).toBe(alice.id);
  expect((await sendHeartbeat(hub, again)).status).toBe(200);
  expect(await activeShares(s.serverId)).toBe(1);
  expect(released).toEqual([]);
});

test('a released server is claimable by anyone, without proof (unclaimed by the owner, or released by an operator)', async () => {
  const s = await victim('Released');
  await hub.http().delete(`/api/v1/me/servers/${s.serverId}`).set(alice.auth).expect(204);
  const taken = await pairServer(hub, mallory, { key: s.key });
  expect(taken.serverId).toBe(s.serverId);
  expect(await owner(s.serverId)).toBe(mallory.id);
  await hub.http().post(`/api/v1/admin/servers/${s.serverId}/release`).set(admin.auth).expect(200);
  const again = await pairServer(hub, bob, { key: s.key });
  expect(again.serverId).toBe(s.serverId);
  expect(await owner(s.serverId)).toBe(bob.id);
  expect((await sendHeartbeat(hub, again)).status).toBe(200);
});

test('headless: a claim token for another account gives that account a row of its own unless proven; a proven one moves the server', async () => {
  const s = await victim('Headless victim');
  hub.clock.advance(1000); // the copy is the younger row
  const tok = (await hub.http().post('/api/v1/me/claim-tokens').set(mallory.auth).expect(201)).body
    .claim_token as string;
  const r = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(s.key, { claimToken: tok }));
  expect(r.status).toBe(200);
  expect(r.body.status).toBe('claimed');
  expect(r.body.server_id).not.toBe(s.serverId);
  await expectUntouched(s);

  // the owner's own token needs no proof
  const aliceTok = (await hub.http().post('/api/v1/me/claim-tokens').set(alice.auth).expect(201)).body
    .claim_token as string;
  const aliceStart = await startClaim(hub, s.key, { claimToken: aliceTok });
  expect(aliceStart.status).toBe('claimed');
  expect(await owner(s.serverId)).toBe(alice.id);
  const aliceAgain = await pollClaim(hub, aliceStart.claimId).expect(200);
  expect(aliceAgain.body.server_id).toBe(s.serverId);
  const current: PairedServer = {
    ...s,
    enrollmentJwt: aliceAgain.body.enrollment_jwt,
    auth: { Authorization: `Bearer ${aliceAgain.body.enrollment_jwt}`, ...PROTO },
  };

  // proven (signed with the server key): Bob's token moves it, and the copy in Mallory's account ends
  const bobTok = (await hub.http().post('/api/v1/me/claim-tokens').set(bob.auth).expect(201)).body
    .claim_token as string;
  const moved = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(await provenClaimBody(hub, s.key, { claimToken: bobTok }))
    .expect(200);
  expect(moved.body.status).toBe('claimed');
  expect(moved.body.server_id).toBe(s.serverId);
  expect(await owner(s.serverId)).toBe(bob.id);
  expect(await activeShares(s.serverId)).toBe(0);
  expect((await sendHeartbeat(hub, current)).status).toBe(401);
  expect(await rowsOfKey(s.key.thumbprint)).toEqual({ [s.serverId]: bob.id, [r.body.server_id]: null });
});
test('the binding itself never moves an owned server for an unproven claim: the claimer gets a new row', async () => {
  const s = await victim('Guard');
  const started = await startClaim(hub, s.key);
  const row = await hub.ds.getRepository(ServerClaim).findOneByOrFail({ pollHash: sha256(started.claimId) });
  const bound = await hub.get(ClaimBindingService).bind(row, mallory.id, { actorType: 'user', actorId: mallory.id });
  expect(bound.server.id).not.toBe(s.serverId);
  expect(bound.previousOwnerId).toBe(null);
  await expectUntouched(s);
});
test('claims/new: bad input is still 400 and writes nothing', async () => {
  const s = await victim('Bad input');
  const before = await n('SELECT COUNT(*) AS n FROM server_claims', []);
  const r = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({ ...claimRequestBody(s.key), publicKeysJwk: { keys: [{ kty: 'RSA' }] } });
  expect(r.status).toBe(400);
  expect(r.body.code).toBe('server.key_invalid');
  expect(await n('SELECT COUNT(*) AS n FROM server_claims', [])).toBe(before);
  await expectUntouched(s);
});
