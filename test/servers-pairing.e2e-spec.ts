import { createLocalJWKSet, jwtVerify } from 'jose';
import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import {
  claimRequestBody,
  makeServerKey,
  pairServer,
  pollClaim,
  PROTO,
  redeemCode,
  startClaim,
} from './helpers/servers.js';

let hub: TestHub;
let alice: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  await registerUser(hub); // admin
  alice = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const CODE_RE = /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/;
const count = async (table: string) => Number((await hub.ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

test('whole pairing flow: claims/new → pending → user claims → poll delivers the enrollment once → heartbeat → my servers', async () => {
  const key = makeServerKey();
  const started = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(key, { name: "Alice's NAS" }))
    .expect(200);
  expect(started.body).toMatchObject({
    claimCode: expect.stringMatching(CODE_RE),
    expiresIn: 600,
    hubBaseUrl: 'http://hub.test:8800',
    status: 'pending',
  });
  expect(started.body.claimId).toMatch(/^[0-9a-f-]{36}$/);
  expect(Object.keys(started.body).slice(0, 4)).toEqual(['claimCode', 'expiresIn', 'claimId', 'hubBaseUrl']);
  expect(started.body).toMatchObject({
    claim_code: started.body.claimCode,
    expires_in: 600,
    claim_id: started.body.claimId,
    hub_base_url: 'http://hub.test:8800',
  });

  const pending = await pollClaim(hub, started.body.claimId).expect(200);
  expect(pending.body).toMatchObject({ status: 'pending', expires_in: 600 });
  expect(pending.body.enrollment_jwt).toBeUndefined();

  const claimed = await redeemCode(hub, alice, started.body.claimCode).expect(200);
  expect(claimed.body).toMatchObject({
    status: 'claimed',
    server_name: "Alice's NAS",
    hub_jwks_url: 'http://hub.test:8800/.well-known/jwks.json',
  });
  expect(claimed.body.enrollment_jwt).toBeUndefined(); // the enrollment goes to the server only
  const serverId = claimed.body.server_id;

  const got = await pollClaim(hub, started.body.claimId).expect(200);
  expect(got.body).toMatchObject({
    status: 'claimed',
    server_id: serverId,
    hub_jwks_url: 'http://hub.test:8800/.well-known/jwks.json',
    hub_base_url: 'http://hub.test:8800',
  });
  expect(got.headers['cache-control']).toBe('no-store');
  const jwks = (await hub.http().get('/.well-known/jwks.json').expect(200)).body;
  const { payload, protectedHeader } = await jwtVerify(got.body.enrollment_jwt, createLocalJWKSet(jwks), {
    currentDate: new Date(hub.clock.now()),
  });
  expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
  expect(payload).toMatchObject({
    iss: 'hub-test',
    aud: 'server',
    sub: serverId,
    server_id: serverId,
    hub_base_url: 'http://hub.test:8800',
    token_use: 'enrollment',
  });
  expect(payload.exp! - payload.iat!).toBe(7 * 86400);
  expect(typeof payload.jti).toBe('string');

  // only once
  const again = await pollClaim(hub, started.body.claimId).expect(200);
  expect(again.body).toEqual({ status: 'claimed', server_id: serverId });

  const hb = await hub
    .http()
    .post(`/api/v1/servers/${serverId}/heartbeat`)
    .set(PROTO)
    .set('Authorization', `Bearer ${got.body.enrollment_jwt}`)
    .send({
      serverId,
      version: '0.45.1',
      timestamp: 1767225600,
      uptimeSeconds: 10,
      activeSessions: 0,
      activeTranscodes: 0,
      hostnameCandidates: ['10.0.0.5'],
    })
    .expect(200);
  expect(hb.body).toMatchObject({ status: 'ok', server_id: serverId });

  const mine = await hub.http().get('/api/v1/me/servers').set(alice.auth).expect(200);
  expect(mine.body.servers).toHaveLength(1);
  expect(mine.body.servers[0]).toEqual({
    serverId,
    userId: alice.id,
    serverName: "Alice's NAS",
    version: '0.45.1',
    lastSeenAt: Math.floor(hub.clock.now() / 1000),
    status: 'online',
    hostnameCandidates: ['10.0.0.5'],
    relayActive: false,
    libraryCount: null,
    subdomain: null,
  });
});

test('every claims/new call gets a claim of its own, even for the same key: its own code and poll secret; earlier claims are untouched', async () => {
  // (until the hardening the same key got the same code and claim id back: anyone who knew the
  // public key could read another caller's poll secret)
  const key = makeServerKey();
  const a = await startClaim(hub, key);
  hub.clock.advance(60_000);
  const b = await startClaim(hub, key, { name: 'renamed' });
  expect(b.claimCode).not.toBe(a.claimCode);
  expect(b.claimId).not.toBe(a.claimId);
  expect(b.expiresIn).toBe(600);
  expect((await pollClaim(hub, a.claimId).expect(200)).body).toMatchObject({ status: 'pending', expires_in: 540 });
  // the first claim still pairs, under its own name
  const alice2 = await registerUser(hub);
  expect((await redeemCode(hub, alice2, a.claimCode)).body.server_name).toBe('Test NAS');
  const c = await startClaim(hub, makeServerKey());
  expect(c.claimCode).not.toBe(a.claimCode);
  // concurrent requests with one key: one claim each
  const k2 = makeServerKey();
  const many = await Promise.all(Array.from({ length: 8 }, () => startClaim(hub, k2)));
  expect(new Set(many.map((m) => m.claimCode)).size).toBe(8);
  expect(new Set(many.map((m) => m.claimId)).size).toBe(8);
});

test('snake_case pairing-doc spelling with a single JWK is accepted', async () => {
  const key = makeServerKey();
  const r = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({
      server_name: 'Snake',
      version: '0.30.0',
      public_keys: { ...key.publicJwk, use: 'sig', alg: 'EdDSA' },
      hostname_candidates: ['https://192.168.1.100:32400'],
      protocol_version: 'v1',
    })
    .expect(200);
  expect(r.body.claimCode).toMatch(CODE_RE);
  // a bare list of JWKs works too (a claim of its own, like every call)
  const r2 = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({ serverName: 'Snake', version: '1', publicKeysJwk: [key.publicJwk], protocolVersion: 'v1' })
    .expect(200);
  expect(r2.body.claimCode).toMatch(CODE_RE);
  expect(r2.body.claimCode).not.toBe(r.body.claimCode);
});

test('Accept-Phlix-Protocol: v1 is required on every pairing route', async () => {
  const key = makeServerKey();
  for (const h of [{}, { 'Accept-Phlix-Protocol': 'v2' }]) {
    const r = await hub.http().post('/api/v1/server-claims/new').set(h).send(claimRequestBody(key));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: expect.any(String), code: 'hub.protocol_unsupported' });
  }
  const bad = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({ ...claimRequestBody(key), protocolVersion: 'v2' });
  expect(bad.body.code).toBe('hub.protocol_unsupported');
  const s = await startClaim(hub, key);
  expect((await hub.http().get(`/api/v1/server-claims/${s.claimId}`)).body.code).toBe('hub.protocol_unsupported');
  expect(
    (await hub.http().post('/api/v1/server-claims/claim').set(alice.auth).send({ claim_code: s.claimCode })).body.code,
  ).toBe('hub.protocol_unsupported');
});

test('invalid keys → 400 server.key_invalid and nothing is written', async () => {
  const before = await count('server_claims');
  const k = makeServerKey().publicJwk;
  const bad: unknown[] = [
    { keys: [{ kty: 'RSA', n: 'abc', e: 'AQAB' }] },
    {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      ],
    },
    { keys: [{ kty: 'OKP', crv: 'X25519', x: k.x }] },
    { keys: [{ ...k, x: k.x.slice(0, 20) }] },
    { keys: [{ ...k, x: `${k.x}AA` }] },
    { keys: [{ ...k, x: 'not base64 !!' }] },
    { keys: [{ ...k, d: k.x }] },
    { keys: [] },
    [],
    'garbage',
    42,
    { keys: [k, k, k, k, k] },
  ];
  for (const publicKeysJwk of bad) {
    const r = await hub
      .http()
      .post('/api/v1/server-claims/new')
      .set(PROTO)
      .send({ serverName: 'x', version: '1', publicKeysJwk, protocolVersion: 'v1' });
    expect([r.status, r.body.code]).toEqual([400, 'server.key_invalid']);
  }
  const missing = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({ serverName: 'x', version: '1', protocolVersion: 'v1' });
  expect(missing.status).toBe(400);
  expect(missing.body.error).toBe('ClaimRequest "publicKeysJwk" is required.');
  const noName = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({ version: '1', publicKeysJwk: { keys: [k] } });
  expect(noName.body).toEqual({ error: 'ClaimRequest "serverName" is required.', code: 'request.validation_failed' });
  const badHosts = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send({ serverName: 'x', version: '1', publicKeysJwk: { keys: [k] }, hostnameCandidates: [1] });
  expect(badHosts.body.error).toBe('ClaimRequest "hostnameCandidates" must contain only strings.');
  const notObj = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .set('content-type', 'application/json')
    .send('[1,2]');
  expect(notObj.status).toBe(400);
  expect(await count('server_claims')).toBe(before);
});

test('codes are case- and separator-insensitive; unknown → 404, expired → 410, taken → 409', async () => {
  const bob = await registerUser(hub);
  const s1 = await startClaim(hub, makeServerKey());
  const loose = s1.claimCode.toLowerCase().replace('-', ' ');
  expect((await redeemCode(hub, bob, `  ${loose} `)).status).toBe(200);
  const taken = await redeemCode(hub, alice, s1.claimCode.replace('-', ''));
  expect([taken.status, taken.body.code]).toEqual([409, 'claim.code_already_claimed']);

  const nf = await redeemCode(hub, bob, 'AAAA-BBBB');
  expect([nf.status, nf.body.code]).toEqual([404, 'claim.code_not_found']);
  const junk = await redeemCode(hub, bob, '0000-OOOO');
  expect(junk.body.code).toBe('claim.code_not_found');
  const empty = await hub.http().post('/api/v1/server-claims/claim').set(PROTO).set(bob.auth).send({});
  expect([empty.status, empty.body.code]).toEqual([400, 'request.validation_failed']);

  const s2 = await startClaim(hub, makeServerKey());
  hub.clock.advance(600_001);
  const exp = await redeemCode(hub, bob, s2.claimCode);
  expect([exp.status, exp.body.code]).toEqual([410, 'claim.code_expired']);
  expect((await pollClaim(hub, s2.claimId)).body).toEqual({ status: 'expired' });
  // after expiry the same key gets a fresh code
  const unknownPoll = await pollClaim(hub, '00000000-0000-4000-8000-000000000000');
  expect([unknownPoll.status, unknownPoll.body.code]).toEqual([404, 'claim.not_found']);
  expect((await pollClaim(hub, 'not-a-uuid')).status).toBe(404);
});

test('a fresh code after expiry; the claim is delivered within the window, then expires', async () => {
  const key = makeServerKey();
  const s1 = await startClaim(hub, key);
  hub.clock.advance(601_000);
  const s2 = await startClaim(hub, key);
  expect(s2.claimCode).not.toBe(s1.claimCode);
  expect(s2.expiresIn).toBe(600);
  const carol = await registerUser(hub); // access tokens live 15 min: a fresh user after moving the clock
  expect((await redeemCode(hub, carol, s2.claimCode)).status).toBe(200);
  hub.clock.advance(601_000); // the server never polled in time
  expect((await pollClaim(hub, s2.claimId)).body).toEqual({ status: 'expired' });
});

test('failed code guesses are rate limited per user (and per IP)', async () => {
  const h = await createTestHub();
  try {
    await registerUser(h);
    const u = await registerUser(h);
    const v = await registerUser(h);
    for (let i = 0; i < 10; i++) expect((await redeemCode(h, u, 'ZZZZ-ZZZZ')).status).toBe(404);
    const limited = await redeemCode(h, u, 'ZZZZ-ZZZZ');
    expect([limited.status, limited.body.code]).toEqual([429, 'claim.rate_limited']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // even a right code is refused while limited
    const s = await startClaim(h, makeServerKey());
    expect((await redeemCode(h, u, s.claimCode)).status).toBe(429);
    // another user on the same IP still has budget, until the IP limit is reached
    expect((await redeemCode(h, v, s.claimCode)).status).toBe(200);
    for (let i = 0; i < 11; i++) expect((await redeemCode(h, v, 'ZZZZ-ZZZZ')).status).toBe(i < 10 ? 404 : 429);
    const w = await registerUser(h);
    for (let i = 0; i < 10; i++) expect((await redeemCode(h, w, 'ZZZZ-ZZZZ')).status).toBe(404);
    // 30 failures from this IP: a fresh user on it is refused too
    const x = await registerUser(h);
    const ipLimited = await redeemCode(h, x, 'ZZZZ-ZZZZ');
    expect([ipLimited.status, ipLimited.body.code]).toEqual([429, 'claim.rate_limited']);
    h.clock.advance(601_000);
    expect((await redeemCode(h, u, 'ZZZZ-ZZZZ')).status).toBe(404);
  } finally {
    await h.close();
  }
});

test('pairing needs a signed-in local user; helper pairs end to end', async () => {
  const s = await startClaim(hub, makeServerKey());
  const r = await hub.http().post('/api/v1/server-claims/claim').set(PROTO).send({ claim_code: s.claimCode });
  expect([r.status, r.body.code]).toEqual([401, 'auth.required']);
  const p = await pairServer(hub, await registerUser(hub), { name: 'Helper' });
  expect(p.enrollmentJwt.split('.')).toHaveLength(3);
});
