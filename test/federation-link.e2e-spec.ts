import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWTPayload, KeyObject } from 'jose';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { seedServer } from './helpers/sharing-fixtures.js';
import { AccessService } from '../src/sharing/access.service.js';
import { User } from '../src/users/entities/user.entity.js';
import { AuditLog } from '../src/audit/entities/audit-log.entity.js';
import { KeysService } from '../src/auth/keys.service.js';

/** Two hubs, two databases: A is the home hub, B the visited hub that trusts A. */
let A: TestHub;
let B: TestHub;
let adminA: TestUser;
let alice: TestUser;
let ownerB: TestUser;
let peerAId: string;

beforeAll(async () => {
  A = await createTestHub({
    env: { HUB_ID: 'hub-a', HUB_PUBLIC_URL: 'http://hub-a.test', HUB_JWT_ACCESS_TTL: '86400' },
  });
  B = await createTestHub({
    env: { HUB_ID: 'hub-b', HUB_PUBLIC_URL: 'http://hub-b.test', HUB_JWT_ACCESS_TTL: '86400' },
  });
  adminA = await registerAdmin(A);
  alice = await registerUser(A);
  ownerB = await registerAdmin(B);
});
afterAll(async () => {
  await A?.close();
  await B?.close();
});

/** keep both fake clocks together (tokens minted on A are checked against B's clock) */
function advanceBoth(ms: number): void {
  A.clock.advance(ms);
  B.clock.advance(ms);
}
const mint = async (u: TestUser, audience = 'hub-b') =>
  (await A.http().post('/api/v1/me/identity-tokens').set(u.auth).send({ audience_hub_id: audience }).expect(201)).body
    .identity_token as string;
const link = (token: unknown) => B.http().post('/api/v1/auth/link').send({ identity_token: token });
const usersOnB = () => B.ds.getRepository(User).count();
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

async function trustOnB(hubId: string, jwks: unknown) {
  return B.http()
    .post('/api/v1/admin/trusted-hubs')
    .set(ownerB.auth)
    .send({ hub_id: hubId, name: `Peer ${hubId}`, url: `http://${hubId}.test`, jwks })
    .expect(201);
}

/** a peer hub we control (its own key), trusted on B */
async function fakePeer(hubId: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `kid-${hubId}`;
  await trustOnB(hubId, { keys: [{ ...(await exportJWK(publicKey)), kid }] });
  const sign = (
    claims: JWTPayload,
    o: { iss?: string; aud?: string; ttl?: number; kid?: string; key?: KeyObject } = {},
  ) => {
    const now = B.clock.nowSeconds();
    return new SignJWT({ token_use: 'identity', ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: o.kid ?? kid })
      .setIssuer(o.iss ?? hubId)
      .setAudience(o.aud ?? 'hub-b')
      .setSubject((claims.sub as string) ?? randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + (o.ttl ?? 300))
      .setJti(randomUUID())
      .sign(o.key ?? privateKey);
  };
  return { sign, kid };
}

describe('linking an account of hub A into hub B', () => {
  let shadow: { id: string; access: string; refresh: string };
  let srv: Awaited<ReturnType<typeof seedServer>>;

  test('B trusts A with the JWKS A publishes', async () => {
    const jwks = await A.http().get('/.well-known/jwks.json').expect(200);
    const r = await trustOnB('hub-a', jwks.body);
    peerAId = r.body.id;
    // the Ed25519 keys (identity tokens); A's P-256 access-token key is left out
    expect(r.body.key_ids).toEqual(
      jwks.body.keys.filter((k: { kty: string }) => k.kty === 'OKP').map((k: { kid: string }) => k.kid),
    );
    expect(r.body.key_ids).toHaveLength(1);
  });

  test('alice mints an identity token on A and links on B: a shadow account and a session', async () => {
    const before = await usersOnB();
    const r = await link(await mint(alice)).expect(200);
    expect(r.body).toMatchObject({
      token_type: 'Bearer',
      linked: { hub_id: 'hub-a', remote_user_id: alice.id, created: true },
    });
    expect(r.body.user).toMatchObject({
      username: `${alice.username}@hub-a`,
      email: null,
      is_admin: false,
      linked_hub_id: 'hub-a',
      display_name: alice.username,
    });
    expect(await usersOnB()).toBe(before + 1);
    const row = await B.ds.getRepository(User).findOneByOrFail({ id: r.body.user.id });
    expect(row).toMatchObject({
      linkedHubId: 'hub-a',
      remoteUserId: alice.id,
      passwordHash: null,
      email: null,
      isAdmin: false,
    });
    shadow = { id: r.body.user.id, access: r.body.access_token, refresh: r.body.refresh_token };
    const me = await B.http().get('/api/v1/me').set(bearer(shadow.access)).expect(200);
    expect(me.body.id).toBe(shadow.id);
    // the session is B's own: it is no credential on A
    expect((await A.http().get('/api/v1/me').set(bearer(shadow.access))).status).toBe(401);
  });

  test('linking again finds the same shadow account', async () => {
    const r = await link(await mint(alice)).expect(200);
    expect(r.body.user.id).toBe(shadow.id);
    expect(r.body.linked.created).toBe(false);
    const peer = await B.http().get(`/api/v1/admin/trusted-hubs/${peerAId}`).set(ownerB.auth).expect(200);
    expect(peer.body.linked_users).toBe(1);
  });

  test("B's owner shares a library with the shadow account; it can use it", async () => {
    srv = await seedServer(B, ownerB.id, ['Movies', 'Shows']);
    const lib = srv.libraries[0];
    const s = await B.http()
      .post('/api/v1/me/shares')
      .set(ownerB.auth)
      .send({ server_id: srv.id, library_id: lib.libraryId, username: `${alice.username}@hub-a`, permission: 'play' })
      .expect(201);
    const mine = await B.http().get('/api/v1/me/shares').set(bearer(shadow.access)).expect(200);
    expect(mine.body.incoming.map((x: { id: string }) => x.id)).toEqual([s.body.id]);
    expect(mine.body.outgoing).toEqual([]);
    const access = B.get(AccessService);
    expect((await access.decide(shadow.id, srv.id, lib.libraryId, 'play')).allowed).toBe(true);
    expect((await access.decide(shadow.id, srv.id, srv.libraries[1].libraryId, 'play')).allowed).toBe(false);
  });

  test('the shadow account has scoped access: no claiming, sharing, invites, identity tokens or admin', async () => {
    const h = bearer(shadow.access);
    const theirSrv = await seedServer(B, shadow.id, ['Theirs']);
    const share = await B.http()
      .post('/api/v1/me/shares')
      .set(h)
      .send({ server_id: theirSrv.id, username: ownerB.username, permission: 'view' });
    expect([share.status, share.body.code]).toEqual([403, 'auth.forbidden']);
    const inv = await B.http()
      .post('/api/v1/me/invite-links')
      .set(h)
      .send({ server_id: theirSrv.id, permission: 'view' });
    expect([inv.status, inv.body.code]).toEqual([403, 'auth.forbidden']);
    const claim = await B.http()
      .post('/api/v1/server-claims/claim')
      .set(h)
      .set('Accept-Phlix-Protocol', 'v1')
      .send({ claim_code: 'ABCD-EFGH' });
    expect([claim.status, claim.body.code]).toEqual([403, 'auth.forbidden']);
    const ct = await B.http().post('/api/v1/me/claim-tokens').set(h).send({});
    expect([ct.status, ct.body.code]).toEqual([403, 'auth.forbidden']);
    const idt = await B.http().post('/api/v1/me/identity-tokens').set(h).send({ audience_hub_id: 'hub-c' });
    expect([idt.status, idt.body.code]).toEqual([403, 'auth.forbidden']);
    expect((await B.http().get('/api/v1/admin/users').set(h)).body.code).toBe('auth.not_admin');
    const promote = await B.http().patch(`/api/v1/admin/users/${shadow.id}`).set(ownerB.auth).send({ is_admin: true });
    expect([promote.status, promote.body.code]).toEqual([403, 'auth.forbidden']);
    expect((await B.ds.getRepository(User).findOneByOrFail({ id: shadow.id })).isAdmin).toBe(false);
    // the shadow sees nobody else's data on B
    const shares = await B.http().get('/api/v1/me/shares').set(h).expect(200);
    expect(shares.body.outgoing).toEqual([]);
    expect(shares.body.incoming).toHaveLength(1);
    expect(JSON.stringify(shares.body)).not.toContain('@example.test');
  });

  test('refresh works while A is trusted', async () => {
    const r = await B.http().post('/api/v1/auth/refresh').send({ refresh_token: shadow.refresh }).expect(200);
    shadow.access = r.body.access_token;
    shadow.refresh = r.body.refresh_token;
  });

  test('blocking A stops its linked users at once (requests, refresh, new links); unblocking restores', async () => {
    await B.http().patch(`/api/v1/admin/trusted-hubs/${peerAId}`).set(ownerB.auth).send({ blocked: true }).expect(200);
    for (const path of ['/api/v1/me', '/api/v1/me/shares']) {
      const r = await B.http().get(path).set(bearer(shadow.access));
      expect([r.status, r.body.code]).toEqual([403, 'federation.peer_blocked']);
    }
    const rf = await B.http().post('/api/v1/auth/refresh').send({ refresh_token: shadow.refresh });
    expect([rf.status, rf.body.code]).toEqual([403, 'federation.peer_blocked']);
    const l = await link(await mint(alice));
    expect([l.status, l.body.code]).toEqual([403, 'federation.peer_blocked']);
    // B's own users are not affected
    await B.http().get('/api/v1/me').set(ownerB.auth).expect(200);
    await B.http().patch(`/api/v1/admin/trusted-hubs/${peerAId}`).set(ownerB.auth).send({ blocked: false }).expect(200);
    await B.http().get('/api/v1/me').set(bearer(shadow.access)).expect(200);
  });

  test('removing trust does the same; linking is then refused as untrusted', async () => {
    const token = await mint(alice);
    await B.http().delete(`/api/v1/admin/trusted-hubs/${peerAId}`).set(ownerB.auth).expect(204);
    const r = await B.http().get('/api/v1/me').set(bearer(shadow.access));
    expect([r.status, r.body.code]).toEqual([403, 'federation.peer_blocked']);
    const l = await link(token);
    expect([l.status, l.body.code]).toEqual([403, 'federation.peer_untrusted']);
    const jwks = await A.http().get('/.well-known/jwks.json').expect(200);
    peerAId = (await trustOnB('hub-a', jwks.body)).body.id;
    expect((await link(await mint(alice)).expect(200)).body.user.id).toBe(shadow.id);
  });
});

describe('identity tokens B must refuse (nothing is written)', () => {
  let before: number;
  beforeAll(async () => {
    advanceBoth(601_000); // fresh rate-limit windows
    before = await usersOnB();
  });

  test('bad input 400', async () => {
    for (const body of [
      {},
      { identity_token: 'short' },
      { identity_token: 42 },
      { identity_token: 'x'.repeat(9000) },
      { identity_token: 'a'.repeat(40), extra: 1 },
    ]) {
      expect((await B.http().post('/api/v1/auth/link').send(body)).status).toBe(400);
    }
    const r = await link('not.a.jwt-at-all');
    expect([r.status, r.body.code]).toEqual([401, 'federation.invalid_identity_token']);
  });

  test('untrusted issuer → 403 federation.peer_untrusted', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const now = B.clock.nowSeconds();
    const t = await new SignJWT({ token_use: 'identity', username: 'mallory' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k' })
      .setIssuer('hub-unknown')
      .setAudience('hub-b')
      .setSubject('m1')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti(randomUUID())
      .sign(privateKey);
    const r = await link(t);
    expect([r.status, r.body.code]).toEqual([403, 'federation.peer_untrusted']);
    // the refusal is on B's audit trail, naming the claimed issuer, without the token
    const trail = await B.ds
      .getRepository(AuditLog)
      .findBy({ action: 'federation.link_failed', targetId: 'hub-unknown' });
    expect(trail.map((a) => [a.outcome, JSON.parse(a.details!)])).toEqual([
      ['failure', { reason: 'federation.peer_untrusted', verified_issuer: false }],
    ]);
    expect(JSON.stringify(trail)).not.toContain(t.slice(0, 30));
  });

  test('blocked issuer → 403 federation.peer_blocked', async () => {
    const peer = await fakePeer('hub-blocked-peer');
    const list = await B.http().get('/api/v1/admin/trusted-hubs').set(ownerB.auth).expect(200);
    const id = list.body.items.find((i: { hub_id: string }) => i.hub_id === 'hub-blocked-peer').id;
    await B.http().patch(`/api/v1/admin/trusted-hubs/${id}`).set(ownerB.auth).send({ blocked: true }).expect(200);
    const r = await link(await peer.sign({ username: 'bob' }));
    expect([r.status, r.body.code]).toEqual([403, 'federation.peer_blocked']);
  });

  test('wrong audience → 401 federation.wrong_audience (a token for another hub, or an access token)', async () => {
    const r = await link(await mint(alice, 'hub-c'));
    expect([r.status, r.body.code]).toEqual([401, 'federation.wrong_audience']);
    // an access-token-shaped EdDSA token of A (audience "hub") is for A itself
    const hubAud = await A.get(KeysService).sign(
      { token_use: 'access', username: alice.username },
      { audience: 'hub', subject: alice.id, ttlSeconds: 300 },
    );
    const r2 = await link(hubAud);
    expect([r2.status, r2.body.code]).toEqual([401, 'federation.wrong_audience']);
    // A's real access tokens are ES256 (its P-256 key): never an identity token
    const r3 = await link(alice.token);
    expect([r3.status, r3.body.code]).toEqual([401, 'federation.invalid_identity_token']);
  });

  test('expired → 401 federation.identity_token_expired', async () => {
    const t = await mint(alice);
    advanceBoth(306_000);
    const r = await link(t);
    expect([r.status, r.body.code]).toEqual([401, 'federation.identity_token_expired']);
  });

  test('tampered payload → 401 federation.invalid_identity_token', async () => {
    const [h, p, s] = (await mint(alice)).split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: adminA.id, username: adminA.username })).toString(
      'base64url',
    );
    const r = await link(`${h}.${forged}.${s}`);
    expect([r.status, r.body.code]).toEqual([401, 'federation.invalid_identity_token']);
  });

  test('alg swapped (HS256 with the public key as secret, none) → 401', async () => {
    const real = await mint(alice);
    const kid = decodeProtectedHeader(real).kid as string;
    const jwks = (await A.http().get('/.well-known/jwks.json')).body;
    const x = Buffer.from(jwks.keys[0].x, 'base64url');
    const claims = JSON.parse(Buffer.from(real.split('.')[1], 'base64url').toString());
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(x);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${real.split('.')[1]}.`;
    for (const t of [hs, none]) {
      const r = await link(t);
      expect([r.status, r.body.code]).toEqual([401, 'federation.invalid_identity_token']);
    }
  });

  test("signed by another key under A's kid, or an unknown kid → 401", async () => {
    const real = await mint(alice);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const claims = JSON.parse(Buffer.from(real.split('.')[1], 'base64url').toString());
    const kid = decodeProtectedHeader(real).kid as string;
    const other = await new SignJWT({ ...claims, jti: randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .sign(privateKey);
    const unknownKid = await new SignJWT({ ...claims, jti: randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'nope' })
      .sign(privateKey);
    for (const t of [other, unknownKid]) expect((await link(t)).body.code).toBe('federation.invalid_identity_token');
  });

  test("a trusted peer's token living longer than 10 minutes, or not an identity token → 401", async () => {
    const peer = await fakePeer('hub-sloppy');
    expect((await link(await peer.sign({ username: 'long' }, { ttl: 3600 }))).body.code).toBe(
      'federation.invalid_identity_token',
    );
    expect((await link(await peer.sign({ username: 'x', token_use: 'access' }))).body.code).toBe(
      'federation.invalid_identity_token',
    );
    expect((await link(await peer.sign({}))).body.code).toBe('federation.invalid_identity_token');
  });

  test('no account was created by any refused token', async () => {
    expect(await usersOnB()).toBe(before);
  });
});

describe('single use', () => {
  test('replayed → 401 federation.identity_token_replayed; concurrent redemptions: exactly one wins', async () => {
    advanceBoth(601_000);
    const t = await mint(alice);
    await link(t).expect(200);
    const r = await link(t);
    expect([r.status, r.body.code]).toEqual([401, 'federation.identity_token_replayed']);
    const t2 = await mint(alice);
    const results = await Promise.all(Array.from({ length: 6 }, () => link(t2)));
    expect(results.filter((x) => x.status === 200)).toHaveLength(1);
    expect(
      results.filter((x) => x.status === 401).every((x) => x.body.code === 'federation.identity_token_replayed'),
    ).toBe(true);
  });

  test('concurrent first links of a new remote user create one shadow account', async () => {
    const peer = await fakePeer('hub-race');
    const sub = randomUUID();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => peer.sign({ sub, username: 'racer' })));
    const results = await Promise.all(tokens.map((t) => link(t)));
    expect(results.map((x) => x.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((x) => x.body.user.id)).size).toBe(1);
    expect(await B.ds.getRepository(User).count({ where: { linkedHubId: 'hub-race' } })).toBe(1);
  });
});

describe('shadow usernames', () => {
  test('name@peer, sanitised, ≤ 50 characters, unique when remote names collide', async () => {
    advanceBoth(601_000);
    const long = 'hub-with-a-rather-long-identifier.example.org';
    const peer = await fakePeer(long);
    const a = await link(await peer.sign({ username: 'Bob Smith!' })).expect(200);
    expect(a.body.user.username).toBe(`Bob_Smith_@${long}`.slice(0, 50));
    const b = await link(await peer.sign({ username: 'Bob Smith!' })).expect(200);
    expect(b.body.user.id).not.toBe(a.body.user.id);
    expect(b.body.user.username).not.toBe(a.body.user.username);
    expect(b.body.user.username.length).toBeLessThanOrEqual(50);
    const c = await link(await peer.sign({ username: 'y'.repeat(100) })).expect(200);
    expect(c.body.user.username.length).toBeLessThanOrEqual(50);
    expect(c.body.user.username).toMatch(/^y{30}@hub-with/);
  });
});
