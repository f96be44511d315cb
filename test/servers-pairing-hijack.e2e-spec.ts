import { registerUser, TestHub, TestUser } from './helpers/hub.js';
import {
  claimRequestBody,
  makeServerKey,
  pairServer,
  pollClaim,
  PROTO,
  redeemCode,
  sendHeartbeat,
  startClaim,
  type ServerKey,
} from './helpers/servers.js';
import { RawTunnel, relayHub, tunnelUrl } from './helpers/relay.js';
import { sha256Hex as sha256 } from '../src/common/sha256.js';

/**
 * Pairing hijack by anyone who knows a server's public key (it is public: servers publish their
 * JWKS). Attacks (a)-(d) of the hardening issue, each played against a stock server (no key
 * proof). Before the fix, claims/new with a pending key returned the same claimCode and claimId to
 * every caller and overwrote the pending claim's name and hostname candidates.
 */
let hub: TestHub;
let owner: TestUser;
let attacker: TestUser;
beforeAll(async () => {
  hub = await relayHub();
  owner = await registerUser(hub);
  attacker = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const ownerOf = async (serverId: string) =>
  (await hub.ds.query('SELECT owner_id FROM servers WHERE id = ?', [serverId]))[0]?.owner_id as
    string | null | undefined;
const serverRow = async (serverId: string) =>
  (await hub.ds.query('SELECT name, hostname_candidates, owner_id FROM servers WHERE id = ?', [serverId]))[0];

/** The real server asks, then the attacker asks with the same (public) key. */
async function realThenAttacker(key: ServerKey) {
  const real = await startClaim(hub, key, { name: 'Owner NAS', hostnameCandidates: ['10.0.0.5'] });
  const evil = await startClaim(hub, key, { name: 'Evil', hostnameCandidates: ['attacker.example'] });
  return { real, evil };
}

test("a second caller with the same key never receives the first caller's code or poll secret", async () => {
  const key = makeServerKey();
  const { real, evil } = await realThenAttacker(key);
  expect(evil.claimCode).not.toBe(real.claimCode);
  expect(evil.claimId).not.toBe(real.claimId);
  expect((await pollClaim(hub, real.claimId).expect(200)).body.status).toBe('pending');
});

test('(a) the attacker redeeming its own code with its account does not enroll the real server to it', async () => {
  const key = makeServerKey();
  const { real, evil } = await realThenAttacker(key);
  const taken = await redeemCode(hub, attacker, evil.claimCode);
  expect(taken.status).toBe(200);
  // the real server is still waiting for its own code
  expect((await pollClaim(hub, real.claimId).expect(200)).body.status).toBe('pending');
  const mine = await redeemCode(hub, owner, real.claimCode);
  expect(mine.status).toBe(200);
  expect(mine.body.server_id).not.toBe(taken.body.server_id);
  const delivered = await pollClaim(hub, real.claimId).expect(200);
  expect(delivered.body.status).toBe('claimed');
  expect(delivered.body.server_id).toBe(mine.body.server_id);
  expect(await ownerOf(delivered.body.server_id)).toBe(owner.id);
});

test("(b) polling first gives the attacker nothing of the owner's: no enrollment, no tunnel as the owner's server", async () => {
  const key = makeServerKey();
  const { real, evil } = await realThenAttacker(key);
  expect((await redeemCode(hub, owner, real.claimCode)).status).toBe(200);
  // the attacker polls first: its own claim, still pending, no JWT
  const early = await pollClaim(hub, evil.claimId).expect(200);
  expect(early.body).toMatchObject({ status: 'pending' });
  expect(early.body.enrollment_jwt).toBeUndefined();
  const delivered = await pollClaim(hub, real.claimId).expect(200);
  expect(typeof delivered.body.enrollment_jwt).toBe('string');
  const ownerServer = {
    serverId: delivered.body.server_id as string,
    enrollmentJwt: delivered.body.enrollment_jwt as string,
  };
  const ownerTunnel = await RawTunnel.open(tunnelUrl(hub), ownerServer);

  // the attacker pairs its own copy and takes that enrollment: it is for another server id
  const own = await redeemCode(hub, attacker, evil.claimCode);
  const evilJwt = (await pollClaim(hub, evil.claimId).expect(200)).body.enrollment_jwt as string;
  expect(own.body.server_id).not.toBe(ownerServer.serverId);
  const hijack = await RawTunnel.connect(tunnelUrl(hub));
  hijack.hello(ownerServer.serverId, evilJwt);
  expect((await hijack.waitClose()).reason).toBe('unauthorized');
  const copy = await RawTunnel.open(tunnelUrl(hub), { serverId: own.body.server_id, enrollmentJwt: evilJwt });
  await new Promise((r) => setTimeout(r, 100));
  expect(ownerTunnel.open).toBe(true); // not replaced
  copy.close();
  ownerTunnel.close();
});

test("(c) the attacker's name and hostname candidates change nothing of the pending claim", async () => {
  const key = makeServerKey();
  const { real } = await realThenAttacker(key);
  await startClaim(hub, key, { name: 'Evil again', hostnameCandidates: ['attacker.example'] });
  const r = await redeemCode(hub, owner, real.claimCode);
  expect(r.status).toBe(200);
  expect(r.body.server_name).toBe('Owner NAS');
  expect(await serverRow(r.body.server_id)).toEqual({
    name: 'Owner NAS',
    hostname_candidates: JSON.stringify(['10.0.0.5']),
    owner_id: owner.id,
  });
});

test('(d) after an unclaim the attacker cannot squat: the owner pairs again (no 409), the attacker keeps only its own row', async () => {
  const s = await pairServer(hub, owner, { name: 'Squat target' });
  await hub.http().delete(`/api/v1/me/servers/${s.serverId}`).set(owner.auth).expect(204);
  // the attacker claims the released key first (by code, and by a headless token of its own)
  const squat = await pairServer(hub, attacker, { key: s.key, name: 'Squatter' });
  const tok = (await hub.http().post('/api/v1/me/claim-tokens').set(attacker.auth).expect(201)).body
    .claim_token as string;
  expect(
    (
      await hub
        .http()
        .post('/api/v1/server-claims/new')
        .set(PROTO)
        .send(claimRequestBody(s.key, { claimToken: tok }))
    ).status,
  ).toBe(200);
  // the owner's server asks again; the owner redeems its code
  const again = await startClaim(hub, s.key, { name: 'Squat target' });
  const r = await redeemCode(hub, owner, again.claimCode);
  expect(r.status).toBe(200);
  const delivered = await pollClaim(hub, again.claimId).expect(200);
  expect(delivered.body.status).toBe('claimed');
  expect(await ownerOf(delivered.body.server_id)).toBe(owner.id);
  expect(delivered.body.server_id).not.toBe(squat.serverId);
  const back = {
    ...s,
    serverId: delivered.body.server_id as string,
    auth: { Authorization: `Bearer ${delivered.body.enrollment_jwt}`, ...PROTO },
  };
  expect((await sendHeartbeat(hub, back as typeof s)).status).toBe(200);
  // and the headless route is not blocked either
  const ownerTok = (await hub.http().post('/api/v1/me/claim-tokens').set(owner.auth).expect(201)).body
    .claim_token as string;
  const headless = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(s.key, { claimToken: ownerTok }));
  expect(headless.status).toBe(200);
  expect(headless.body.server_id).toBe(delivered.body.server_id);
});

test('claim codes and poll secrets are stored only as SHA-256', async () => {
  const key = makeServerKey();
  const c = await startClaim(hub, key);
  const rows = await hub.ds.query('SELECT * FROM server_claims WHERE key_thumbprint = ?', [key.thumbprint]);
  expect(rows).toHaveLength(1);
  const dump = JSON.stringify(rows).toLowerCase();
  expect(dump).not.toContain(c.claimId.toLowerCase());
  expect(dump).not.toContain(c.claimCode.toLowerCase());
  expect(dump).not.toContain(c.claimCode.replace('-', '').toLowerCase());
  expect(rows[0].code_hash).toBe(sha256(c.claimCode));
  expect(rows[0].poll_hash).toBe(sha256(c.claimId));
  expect(rows[0].id).not.toBe(c.claimId);
  // the poll still works with the secret, and the code with any spelling
  expect((await pollClaim(hub, c.claimId.toUpperCase()).expect(200)).body.status).toBe('pending');
  expect((await redeemCode(hub, owner, c.claimCode.toLowerCase().replace('-', ' '))).status).toBe(200);
});

test('concurrent: many claims/new of one key get distinct codes and poll secrets; owner and attacker redeeming at once both get their own rows', async () => {
  const key = makeServerKey();
  const many = await Promise.all(Array.from({ length: 20 }, () => startClaim(hub, key)));
  expect(new Set(many.map((m) => m.claimCode)).size).toBe(20);
  expect(new Set(many.map((m) => m.claimId)).size).toBe(20);
  // half redeemed by the owner, half by the attacker, all at once
  const results = await Promise.all(many.map((m, i) => redeemCode(hub, i % 2 ? attacker : owner, m.claimCode)));
  expect(results.map((r) => r.status)).toEqual(many.map(() => 200));
  const rows = (await hub.ds.query('SELECT owner_id FROM servers WHERE key_thumbprint = ?', [key.thumbprint])) as {
    owner_id: string;
  }[];
  expect(rows.map((r) => r.owner_id).sort()).toEqual([owner.id, attacker.id].sort()); // one row per account
  const ids = new Set(results.map((r) => r.body.server_id));
  expect(ids.size).toBe(2);
}, 60_000);
