import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { claimRequestBody, makeServerKey, pollClaim, PROTO, redeemCode } from './helpers/servers.js';

/** Headless claim (PLEX_CLAIM habit): POST /api/v1/me/claim-tokens, presented on claims/new. */
let hub: TestHub;
let admin: TestUser;
let alice: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
  alice = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const mint = async (u: TestUser) => (await hub.http().post('/api/v1/me/claim-tokens').set(u.auth).expect(201)).body;
const count = async (table: string) => Number((await hub.ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

test('a server presenting a claim token is claimed to that user at once; the token is single-use and stored hashed', async () => {
  const t = await mint(alice);
  expect(t).toEqual({
    claim_token: expect.stringMatching(/^phlix-claim-[A-Za-z0-9_-]{43}$/),
    expires_in: 600,
    expires_at: expect.any(String),
  });
  const stored = await hub.ds.query('SELECT token_hash FROM claim_tokens');
  expect(JSON.stringify(stored)).not.toContain(t.claim_token.slice(12));

  const key = makeServerKey();
  const r = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(key, { claimToken: t.claim_token, name: 'Headless' }))
    .expect(200);
  expect(r.body).toMatchObject({
    status: 'claimed',
    claimCode: expect.any(String),
    expiresIn: expect.any(Number),
    claimId: expect.any(String),
  });
  const polled = await pollClaim(hub, r.body.claimId).expect(200);
  expect(polled.body).toMatchObject({
    status: 'claimed',
    server_id: r.body.server_id,
    enrollment_jwt: expect.any(String),
  });
  const mine = await hub.http().get('/api/v1/me/servers').set(alice.auth).expect(200);
  expect(mine.body.servers.map((s: { serverName: string }) => s.serverName)).toEqual(['Headless']);
  // its code is already claimed
  expect((await redeemCode(hub, admin, r.body.claimCode)).body.code).toBe('claim.code_already_claimed');

  // used again → 400, nothing written
  const before = await count('server_claims');
  const again = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(makeServerKey(), { claimToken: t.claim_token }));
  expect([again.status, again.body.code]).toEqual([400, 'claim.token_invalid']);
  expect(await count('server_claims')).toBe(before);
  const audit = await hub.ds.query("SELECT details FROM audit_logs WHERE action = 'server.claimed' AND target_id = ?", [
    r.body.server_id,
  ]);
  expect(JSON.parse(audit[0].details)).toMatchObject({ via: 'token' });
});

test('snake_case claim_token and the X-Phlix-Claim-Token header work too', async () => {
  const t1 = await mint(alice);
  const b = claimRequestBody(makeServerKey());
  const r1 = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({ ...b, claim_token: t1.claim_token })
    .expect(200);
  expect(r1.body.status).toBe('claimed');
  const t2 = await mint(alice);
  const r2 = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .set('X-Phlix-Claim-Token', t2.claim_token)
    .send(claimRequestBody(makeServerKey()))
    .expect(200);
  expect(r2.body.status).toBe('claimed');
});

test('expired, unknown or disabled-user tokens are refused; minting needs a user', async () => {
  const t = await mint(alice);
  hub.clock.advance(601_000);
  const late = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(makeServerKey(), { claimToken: t.claim_token }));
  expect([late.status, late.body.code]).toEqual([400, 'claim.token_invalid']);
  const forged = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(makeServerKey(), { claimToken: 'phlix-claim-' + 'A'.repeat(43) }));
  expect(forged.body.code).toBe('claim.token_invalid');
  expect((await hub.http().post('/api/v1/me/claim-tokens')).status).toBe(401);

  const bob = await registerUser(hub);
  const tb = await mint(bob);
  // the admin's access token aged past its 15 min while the clock moved: sign in again
  const login = await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: admin.username, password: admin.password })
    .expect(200);
  const adminAuth = { Authorization: `Bearer ${login.body.access_token}` };
  const dis = await hub.http().patch(`/api/v1/admin/users/${bob.id}`).set(adminAuth).send({ disabled: true });
  expect(dis.status).toBe(200);
  const r = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(makeServerKey(), { claimToken: tb.claim_token }));
  expect(r.body.code).toBe('claim.token_invalid');
});
