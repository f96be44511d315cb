import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { makeServerKey, pairServer, PairedServer, pollClaim, PROTO, claimRequestBody, redeemCode, sendHeartbeat, startClaim } from './helpers/servers.js';
import { HubEvents } from '../src/common/hub-events.js';
import { AccessService } from '../src/sharing/access.service.js';
import { ClaimBindingService } from '../src/servers/claim-binding.service.js';
import { ServerClaim } from '../src/servers/entities/server-claim.entity.js';

/**
 * A server's public key is not secret: claims/new with someone else's key must not let another
 * account take a claimed server. Only a claim proven by the server itself (its current enrollment
 * JWT as Bearer on claims/new) may move it; a released server stays claimable by anyone.
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
  hub.get(HubEvents).on('server.released', (p) => { released.push(p); });
});
afterAll(async () => { await hub.close(); });
beforeEach(() => { released.length = 0; });

const owner = async (id: string) => (await hub.ds.query('SELECT owner_id FROM servers WHERE id = ?', [id]))[0]?.owner_id ?? 'missing';
const n = async (sql: string, p: unknown[]) => Number((await hub.ds.query(sql, p))[0].n);
const activeShares = (serverId: string) => n('SELECT COUNT(*) AS n FROM library_shares WHERE server_id = ? AND revoked_at IS NULL', [serverId]);
const daveCanBrowse = async (serverId: string) => (await hub.get(AccessService).decide(dave.id, serverId, null, 'browse')).allowed;
const refusals = (serverId: string) => n("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'claim.refused_claimed_elsewhere' AND target_id = ?", [serverId]);

/** Alice's server, heartbeating, shared with Dave. */
async function victim(name: string): Promise<PairedServer> {
  const s = await pairServer(hub, alice, { name });
  await sendHeartbeat(hub, s).expect(200);
  await hub.http().post('/api/v1/me/shares').set(alice.auth).send({ server_id: s.serverId, library_id: null, username: dave.username, permission: 'play' }).expect(201);
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

test('an attacker with only the public key: claims/new works, but claiming the code is 409 claim.server_already_claimed and nothing changes', async () => {
  const s = await victim('Victim NAS');
  const started = await startClaim(hub, s.key, { name: 'Evil twin' });
  expect(started.status).toBe('pending');
  const r = await redeemCode(hub, mallory, started.claimCode);
  expect(r.status).toBe(409);
  expect(r.body.code).toBe('claim.server_already_claimed');
  expect(r.body.error).toMatch(/claimed to another Hub account/);
  expect(r.body.error).toMatch(/released first/);
  expect(r.body.error).toContain('DELETE /api/v1/me/servers/{id}');
  expect(r.body.error).toContain('phlix-hub server:release <id>');
  expect(r.body.error).toContain('POST /api/v1/admin/servers/{id}/release');
  expect(r.body.error).not.toContain(s.serverId);
  await expectUntouched(s);
  // the claim itself was not taken, and polling it hands out nothing
  const row = await hub.ds.getRepository(ServerClaim).findOneByOrFail({ id: started.claimId });
  expect(row).toMatchObject({ status: 'pending', claimedBy: null, serverId: null, proven: false });
  expect((await pollClaim(hub, started.claimId).expect(200)).body.status).toBe('pending');
  const audit = await hub.ds.query("SELECT actor_id, outcome FROM audit_logs WHERE action = 'claim.refused_claimed_elsewhere' AND target_id = ?", [s.serverId]);
  expect(audit).toEqual([{ actor_id: mallory.id, outcome: 'denied' }]);
  // retrying is the same answer
  expect((await redeemCode(hub, mallory, started.claimCode)).body.code).toBe('claim.server_already_claimed');
  await expectUntouched(s);
  expect(await owner(s.serverId)).toBe(alice.id);
});

test('a Bearer that is not this server\'s current enrollment proves nothing (another server\'s, a revoked one, junk)', async () => {
  const s = await victim('Victim 2');
  const mallorys = await pairServer(hub, mallory, { name: 'Mallory own' });
  const renewed = await hub.http().post(`/api/v1/servers/${s.serverId}/renew`).set(s.auth).expect(200);
  const current: PairedServer = { ...s, enrollmentJwt: renewed.body.enrollment_jwt, auth: { ...s.auth, Authorization: `Bearer ${renewed.body.enrollment_jwt}` } };
  for (const bearer of [mallorys.enrollmentJwt, s.enrollmentJwt /* revoked by the renew */, 'not.a.jwt', 'x']) {
    const started = await startClaim(hub, s.key, { bearer });
    const r = await redeemCode(hub, mallory, started.claimCode);
    expect([bearer.slice(0, 12), r.status, r.body.code]).toEqual([bearer.slice(0, 12), 409, 'claim.server_already_claimed']);
  }
  await expectUntouched(current);
});

test('an unproven caller never gets the code of a proven claim (separate pending slots)', async () => {
  const s = await victim('Slots');
  const proven = await startClaim(hub, s.key, { bearer: s.enrollmentJwt });
  const provenAgain = await startClaim(hub, s.key, { bearer: s.enrollmentJwt });
  expect(provenAgain.claimCode).toBe(proven.claimCode); // the same key (with proof) still gets its code back
  const unproven = await startClaim(hub, s.key);
  expect(unproven.claimCode).not.toBe(proven.claimCode);
  expect(unproven.claimId).not.toBe(proven.claimId);
  expect((await startClaim(hub, s.key)).claimCode).toBe(unproven.claimCode);
  expect((await redeemCode(hub, mallory, unproven.claimCode)).body.code).toBe('claim.server_already_claimed');
  await expectUntouched(s);
  const row = await hub.ds.getRepository(ServerClaim).findOneByOrFail({ id: proven.claimId });
  expect(row.proven).toBe(true);
});

test('a proven re-pair to another account transfers the server: old claim, enrollment and shares end', async () => {
  const s = await victim('Moving proven');
  const started = await startClaim(hub, s.key, { name: 'Moving proven', bearer: s.enrollmentJwt });
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
  const bobs: PairedServer = { ...s, enrollmentJwt: polled.body.enrollment_jwt, auth: { Authorization: `Bearer ${polled.body.enrollment_jwt}`, ...PROTO } };
  expect((await sendHeartbeat(hub, bobs)).status).toBe(200);
  expect(await refusals(s.serverId)).toBe(0);
  expect(await n("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'server.reclaimed' AND target_id = ?", [s.serverId])).toBe(1);
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

test('headless: a claim token for another account is refused at claims/new (409, token not used) unless proven', async () => {
  const s = await victim('Headless victim');
  const tok = (await hub.http().post('/api/v1/me/claim-tokens').set(mallory.auth).expect(201)).body.claim_token as string;
  const r = await hub.http().post('/api/v1/server-claims/new').set(PROTO).send(claimRequestBody(s.key, { claimToken: tok }));
  expect(r.status).toBe(409);
  expect(r.body.code).toBe('claim.server_already_claimed');
  await expectUntouched(s);
  expect(await refusals(s.serverId)).toBe(1);
  // the token was not burnt: Mallory can still claim a server of her own with it
  const own = await startClaim(hub, makeServerKey(), { claimToken: tok });
  expect(own.status).toBe('claimed');

  // the owner's own token needs no proof
  const aliceTok = (await hub.http().post('/api/v1/me/claim-tokens').set(alice.auth).expect(201)).body.claim_token as string;
  expect((await startClaim(hub, s.key, { claimToken: aliceTok })).status).toBe('claimed');
  expect(await owner(s.serverId)).toBe(alice.id);
  const aliceAgain = await pollClaim(hub, (await hub.ds.query("SELECT id FROM server_claims WHERE server_id = ? AND delivered_at IS NULL", [s.serverId]))[0].id).expect(200);
  const current: PairedServer = { ...s, enrollmentJwt: aliceAgain.body.enrollment_jwt, auth: { Authorization: `Bearer ${aliceAgain.body.enrollment_jwt}`, ...PROTO } };

  // proven (the server's current enrollment): Bob's token moves it
  const bobTok = (await hub.http().post('/api/v1/me/claim-tokens').set(bob.auth).expect(201)).body.claim_token as string;
  const moved = await startClaim(hub, s.key, { claimToken: bobTok, bearer: current.enrollmentJwt });
  expect(moved.status).toBe('claimed');
  expect(await owner(s.serverId)).toBe(bob.id);
  expect(await activeShares(s.serverId)).toBe(0);
  expect((await sendHeartbeat(hub, current)).status).toBe(401);
});

test('the binding itself refuses an unproven claim that would move an owned server (a release/claim race)', async () => {
  const s = await victim('Guard');
  const started = await startClaim(hub, s.key);
  const row = await hub.ds.getRepository(ServerClaim).findOneByOrFail({ id: started.claimId });
  await expect(hub.get(ClaimBindingService).bind(row, mallory.id, { actorType: 'user', actorId: mallory.id })).rejects.toMatchObject({ code: 'claim.server_already_claimed' });
  await expectUntouched(s);
});

test('claims/new: bad input is still 400 and writes nothing, even with a Bearer', async () => {
  const s = await victim('Bad input');
  const before = await n('SELECT COUNT(*) AS n FROM server_claims', []);
  const r = await hub.http().post('/api/v1/server-claims/new').set(PROTO).set({ Authorization: `Bearer ${s.enrollmentJwt}` })
    .send({ ...claimRequestBody(s.key), publicKeysJwk: { keys: [{ kty: 'RSA' }] } });
  expect(r.status).toBe(400);
  expect(r.body.code).toBe('server.key_invalid');
  expect(await n('SELECT COUNT(*) AS n FROM server_claims', [])).toBe(before);
  await expectUntouched(s);
});
