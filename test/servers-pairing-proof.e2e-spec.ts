import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerUser, TestHub, TestUser } from './helpers/hub.js';
import {
  claimRequestBody,
  makeServerKey,
  pairServer,
  PROTO,
  provenClaimBody,
  redeemCode,
  startClaim,
} from './helpers/servers.js';
import { hubUrl, relayHub, sleep } from './helpers/relay.js';
import { RelayAgent } from '../src/agent/relay-agent.js';
import { AgentState } from '../src/agent/agent-state.js';
import { jwkThumbprint, parseClaimRequest } from '../src/servers/wire/claim-request.js';
import { signClaimProof } from '../src/servers/wire/claim-proof.js';

/**
 * Key proof on claims/new: our agent signs a hub challenge with its Ed25519 key; once a key has
 * proven possession, pairing it without proof is refused, so a copied public key pairs nothing.
 */
let hub: TestHub;
let alice: TestUser;
let mallory: TestUser;
beforeAll(async () => {
  hub = await relayHub();
  alice = await registerUser(hub);
  mallory = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const claimsCount = async () => Number((await hub.ds.query('SELECT COUNT(*) AS n FROM server_claims'))[0].n);
const newClaim = (body: Record<string, unknown>) => hub.http().post('/api/v1/server-claims/new').set(PROTO).send(body);

test('the agent pairs with a key proof; afterwards nobody can pair its key without one (403 claim.key_proof_required)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-proof-'));
  const agent = new RelayAgent({
    hubUrl: hubUrl(hub),
    origin: 'http://127.0.0.1:9',
    dataDir,
    claimPollMs: 20,
    serverName: 'Agent NAS',
  });
  const code = new Promise<string>((res) => agent.once('claim-code', res));
  const enrolled = agent.enroll();
  const c = await code;
  const claim = (
    await hub.ds.query('SELECT proven FROM server_claims WHERE status = ? ORDER BY created_at DESC', ['pending'])
  )[0];
  expect(Boolean(Number(claim.proven))).toBe(true);
  expect((await redeemCode(hub, alice, c)).status).toBe(200);
  const serverId = await enrolled;
  await agent.stop();

  const jwk = AgentState.open(dataDir).data.public_jwk;
  const thumb = jwkThumbprint(jwk);
  expect(
    Number((await hub.ds.query('SELECT COUNT(*) AS n FROM server_key_proofs WHERE key_thumbprint = ?', [thumb]))[0].n),
  ).toBe(1);
  // Mallory copies the public key (it is public): no claim, no code, nothing written
  const before = await claimsCount();
  const body = {
    serverName: 'Evil',
    version: '0.45.0',
    publicKeysJwk: { keys: [jwk] },
    hostnameCandidates: ['attacker.example'],
    protocolVersion: 'v1',
  };
  const r = await newClaim(body);
  expect(r.status).toBe(403);
  expect(r.body.code).toBe('claim.key_proof_required');
  const tok = (await hub.http().post('/api/v1/me/claim-tokens').set(mallory.auth).expect(201)).body
    .claim_token as string;
  expect((await newClaim({ ...body, claimToken: tok })).body.code).toBe('claim.key_proof_required');
  expect(await claimsCount()).toBe(before);
  expect(await hub.ds.query('SELECT owner_id FROM servers WHERE key_thumbprint = ?', [thumb])).toEqual([
    { owner_id: alice.id },
  ]);
  expect((await hub.ds.query('SELECT id FROM servers WHERE key_thumbprint = ?', [thumb]))[0].id).toBe(serverId);
});

test('bad proofs are 401 claim.key_proof_invalid (wrong key, tampered request, reused or expired or foreign challenge) and write nothing', async () => {
  const key = makeServerKey();
  const other = makeServerKey();
  const before = await claimsCount();
  const challenge = async () =>
    (await hub.http().post('/api/v1/server-claims/challenge').set(PROTO).expect(200)).body.challenge as string;
  const base = claimRequestBody(key);
  const wrongKey = { ...base, keyProof: signClaimProof(other.privateKey, await challenge(), parseClaimRequest(base)) };
  const tampered = { ...(await provenClaimBody(hub, key)), hostnameCandidates: ['attacker.example'] };
  const ch = await challenge();
  const fresh = { ...base, keyProof: signClaimProof(key.privateKey, ch, parseClaimRequest(base)) };
  const enrollment = (await pairServer(hub, alice)).enrollmentJwt;
  const foreign = { ...base, keyProof: signClaimProof(key.privateKey, enrollment, parseClaimRequest(base)) };
  const afterPair = await claimsCount();
  for (const [what, b] of [
    ['wrong key', wrongKey],
    ['tampered', tampered],
    ['foreign challenge', foreign],
  ] as const) {
    const r = await newClaim(b);
    expect([what, r.status, r.body.code]).toEqual([what, 401, 'claim.key_proof_invalid']);
  }
  expect(await claimsCount()).toBe(afterPair);
  expect((await newClaim(fresh)).status).toBe(200);
  const reused = await newClaim(fresh);
  expect([reused.status, reused.body.code]).toEqual([401, 'claim.key_proof_invalid']);
  const late = { ...base, keyProof: signClaimProof(key.privateKey, await challenge(), parseClaimRequest(base)) };
  hub.clock.advance(126_000); // 120 s + the 5 s clock tolerance of hub tokens
  expect((await newClaim(late)).body.code).toBe('claim.key_proof_invalid');
  expect(await claimsCount()).toBe(afterPair + 1);
  expect(afterPair).toBe(before + 1); // the helper pairing
  // malformed proof objects are 400
  for (const keyProof of ['x', { challenge: ch }, { challenge: ch, signature: 'short' }]) {
    const r = await newClaim({ ...base, keyProof });
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
  }
  // the challenge route needs the protocol header
  expect((await hub.http().post('/api/v1/server-claims/challenge')).body.code).toBe('hub.protocol_unsupported');
});

test('concurrent: one challenge used by many requests at once proves exactly one claim', async () => {
  const key = makeServerKey();
  const body = await provenClaimBody(hub, key);
  const results = await Promise.all(Array.from({ length: 10 }, () => newClaim(body)));
  const statuses = results.map((r) => r.status).sort();
  expect(statuses).toEqual([200, ...Array(9).fill(401)]);
  expect(results.filter((r) => r.status === 401).every((r) => r.body.code === 'claim.key_proof_invalid')).toBe(true);
  expect(
    Number(
      (await hub.ds.query('SELECT COUNT(*) AS n FROM server_claims WHERE key_thumbprint = ?', [key.thumbprint]))[0].n,
    ),
  ).toBe(1);
});

test('a stock server (never proven) keeps pairing without proof, again and again', async () => {
  const key = makeServerKey();
  const first = await pairServer(hub, alice, { key });
  await sleep(1);
  const again = await startClaim(hub, key);
  expect((await redeemCode(hub, alice, again.claimCode)).body.server_id).toBe(first.serverId);
});
