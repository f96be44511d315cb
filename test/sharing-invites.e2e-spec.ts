import { createHash, randomUUID } from 'node:crypto';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { countRows, reauth, seedServer, SeededServer, share } from './helpers/sharing-fixtures.js';
import { InviteLink } from '../src/sharing/entities/invite-link.entity.js';

let hub: TestHub;
let owner: TestUser;
let grantee: TestUser;
let stranger: TestUser;
let srv: SeededServer;
const DAY = 86400_000;

beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_JWT_ACCESS_TTL: '86400' } });
  await registerAdmin(hub);
  owner = await registerUser(hub);
  grantee = await registerUser(hub);
  stranger = await registerUser(hub);
  srv = await seedServer(hub, owner.id, ['Movies', 'Shows']);
});
afterAll(async () => {
  await hub.close();
});

const createLink = async (body: Record<string, unknown>, u = owner) => {
  const r = await hub
    .http()
    .post('/api/v1/me/invite-links')
    .set(u.auth)
    .send({ server_id: srv.id, permission: 'play', ...body });
  if (r.status !== 201) throw new Error(`invite failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; token: string; url: string; expires_at: string | null; max_uses: number };
};
const redeem = (u: TestUser, token: string) => hub.http().post(`/api/v1/invite-links/${token}/redeem`).set(u.auth);
const useCount = async (id: string) => (await hub.ds.getRepository(InviteLink).findOneByOrFail({ id })).useCount;

test('create: token shown once (≥128 bits), stored as SHA-256, url on HUB_PUBLIC_URL, default 7 days, 1 use', async () => {
  const l = await createLink({ library_id: srv.libraries[0].libraryId });
  expect(l.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(l.url).toBe(`http://hub.test:8800/invite/${l.token}`);
  expect(l.expires_at).toBe(new Date(hub.clock.now() + 7 * DAY).toISOString());
  expect(l.max_uses).toBe(1);
  const row = await hub.ds.getRepository(InviteLink).findOneByOrFail({ id: l.id });
  expect(row.tokenHash).toBe(createHash('sha256').update(l.token).digest('hex'));
  expect(JSON.stringify(row)).not.toContain(l.token);
  const never = await createLink({ expires_in: 0, max_uses: 99, permission: 'download' });
  expect(never).toMatchObject({ expires_at: null, max_uses: 99 });
  const listed = await hub.http().get('/api/v1/me/invite-links').set(owner.auth).expect(200);
  expect(JSON.stringify(listed.body)).not.toContain(l.token);
  const item = listed.body.invite_links.find((i: { id: string }) => i.id === l.id);
  expect(item).toMatchObject({
    server_id: srv.id,
    server_name: srv.name,
    library_name: 'Movies',
    permission: 'play',
    max_uses: 1,
    use_count: 0,
    status: 'active',
    url: null,
  });
  for (const u of [grantee, stranger]) {
    expect((await hub.http().get('/api/v1/me/invite-links').set(u.auth).expect(200)).body).toEqual({
      invite_links: [],
    });
  }
});

test('create: bad input and foreign servers are refused, nothing written', async () => {
  const before = await countRows(hub, 'invite_links');
  const s2 = await seedServer(hub, stranger.id, ['X']);
  const cases: [Record<string, unknown>, TestUser, number, string][] = [
    [{ max_uses: 0 }, owner, 400, 'request.validation_failed'],
    [{ max_uses: 100 }, owner, 400, 'request.validation_failed'],
    [{ max_uses: 'two' }, owner, 400, 'request.validation_failed'],
    [{ expires_in: -1 }, owner, 400, 'request.validation_failed'],
    [{ expires_in: 1.5 }, owner, 400, 'request.validation_failed'],
    [{ permission: 'readwrite' }, owner, 400, 'request.validation_failed'],
    [{ token: 'mine' }, owner, 400, 'request.validation_failed'],
    [{ server_id: 'x' }, owner, 400, 'request.validation_failed'],
    [{ server_id: randomUUID() }, owner, 404, 'server.not_found'],
    [{ server_id: s2.id }, owner, 404, 'server.not_found'],
    [{ library_id: 'nope' }, owner, 404, 'share.library_not_found'],
    [{}, stranger, 404, 'server.not_found'],
  ];
  for (const [body, u, status, code] of cases) {
    const r = await hub
      .http()
      .post('/api/v1/me/invite-links')
      .set(u.auth)
      .send({ server_id: srv.id, permission: 'play', ...body });
    expect([r.status, r.body.code, JSON.stringify(body)]).toEqual([status, code, JSON.stringify(body)]);
  }
  // a recipient of the server cannot re-share it through a link either
  await share(hub, owner, {
    server_id: srv.id,
    library_id: srv.libraries[1].libraryId,
    username: stranger.username,
    permission: 'view',
  });
  expect(
    (
      await hub
        .http()
        .post('/api/v1/me/invite-links')
        .set(stranger.auth)
        .send({ server_id: srv.id, permission: 'view' })
        .expect(403)
    ).body.code,
  ).toBe('share.not_owner');
  expect(await countRows(hub, 'invite_links')).toBe(before);
});

test('no token: 401 on every signed-in route; preview is public and shows no secrets', async () => {
  const l = await createLink({ library_id: srv.libraries[0].libraryId, permission: 'view' });
  for (const req of [
    hub.http().post('/api/v1/me/invite-links').send({ server_id: srv.id, permission: 'view' }),
    hub.http().get('/api/v1/me/invite-links'),
    hub.http().delete(`/api/v1/me/invite-links/${l.id}`),
    hub.http().post(`/api/v1/invite-links/${l.token}/redeem`),
  ]) {
    const r = await req;
    expect([r.status, r.body.code]).toEqual([401, 'auth.required']);
  }
  const p = await hub.http().get(`/api/v1/invite-links/${l.token}`).expect(200);
  expect(p.body).toEqual({
    server_name: srv.name,
    scope: 'library',
    library_name: 'Movies',
    permission: 'view',
    inviter_display_name: owner.username,
    expires_at: l.expires_at,
  });
  expect(
    (
      await hub
        .http()
        .get(`/api/v1/invite-links/${'A'.repeat(43)}`)
        .expect(404)
    ).body.code,
  ).toBe('invite.not_found');
  expect((await hub.http().get('/api/v1/invite-links/short').expect(404)).body.code).toBe('invite.not_found');
  expect(await useCount(l.id)).toBe(0);
});

test('redeem: grants the share once; the owner cannot redeem; used up → 410', async () => {
  const l = await createLink({ library_id: srv.libraries[0].libraryId });
  expect((await redeem(owner, l.token).expect(400)).body.code).toBe('invite.own_link');
  const r = await redeem(grantee, l.token).expect(201);
  expect(r.body).toMatchObject({
    server_id: srv.id,
    library_id: srv.libraries[0].libraryId,
    permission: 'play',
    source: 'invite',
    grantee_user_id: grantee.id,
    owner_user_id: owner.id,
    expires_at: l.expires_at,
  });
  const incoming = (await hub.http().get('/api/v1/me/shares').set(grantee.auth).expect(200)).body.incoming;
  expect(incoming.map((s: { id: string }) => s.id)).toContain(r.body.id);
  expect(await useCount(l.id)).toBe(1);
  expect((await redeem(stranger, l.token).expect(410)).body.code).toBe('invite.expired_or_exhausted');
  await hub.http().get(`/api/v1/invite-links/${l.token}`).expect(410);
  const item = (await hub.http().get('/api/v1/me/invite-links').set(owner.auth)).body.invite_links.find(
    (i: { id: string }) => i.id === l.id,
  );
  expect(item).toMatchObject({ use_count: 1, status: 'exhausted' });
  expect(await useCount(l.id)).toBe(1);
});

test('redeem with an equal/better share → 409 (no use spent); with a weaker one → upgraded', async () => {
  const u = await registerUser(hub);
  const lib = srv.libraries[1].libraryId;
  const whole = await share(hub, owner, {
    server_id: srv.id,
    library_id: null,
    username: u.username,
    permission: 'play',
  });
  const same = await createLink({ library_id: lib, permission: 'view', max_uses: 5 });
  expect((await redeem(u, same.token).expect(409)).body.code).toBe('share.exists');
  expect(await useCount(same.id)).toBe(0);
  const better = await createLink({ library_id: null, permission: 'download', max_uses: 5, expires_in: 0 });
  const up = await redeem(u, better.token).expect(201);
  expect(up.body).toMatchObject({ id: whole.id, permission: 'download', expires_at: null });
  expect(await useCount(better.id)).toBe(1);
  const shares = (await hub.http().get('/api/v1/me/shares').set(u.auth)).body.incoming;
  expect(shares).toHaveLength(1);
});

test('the PHP spelling /me/invite-links/{token}/redeem works too', async () => {
  const u = await registerUser(hub);
  const l = await createLink({});
  await hub.http().post(`/api/v1/me/invite-links/${l.token}/redeem`).set(u.auth).expect(201);
});

test('expired links: 410 on redeem and preview; status expired', async () => {
  const l = await createLink({ expires_in: 3600 });
  hub.clock.advance(3600_000);
  await reauth(hub, owner, grantee, stranger);
  expect((await redeem(stranger, l.token).expect(410)).body.code).toBe('invite.expired_or_exhausted');
  await hub.http().get(`/api/v1/invite-links/${l.token}`).expect(410);
  const item = (await hub.http().get('/api/v1/me/invite-links').set(owner.auth)).body.invite_links.find(
    (i: { id: string }) => i.id === l.id,
  );
  expect(item.status).toBe('expired');
  expect(await useCount(l.id)).toBe(0);
});

test('shares made by a link expire with the link', async () => {
  const u = await registerUser(hub);
  const l = await createLink({ expires_in: 7200, library_id: srv.libraries[0].libraryId });
  await redeem(u, l.token).expect(201);
  hub.clock.advance(7200_000);
  await reauth(hub, owner, grantee, stranger, u);
  expect((await hub.http().get('/api/v1/me/shares').set(u.auth)).body.incoming).toEqual([]);
});

test('revoke: only the owner; the link stops working at once', async () => {
  const l = await createLink({ max_uses: 3 });
  for (const u of [grantee, stranger]) {
    expect((await hub.http().delete(`/api/v1/me/invite-links/${l.id}`).set(u.auth).expect(404)).body.code).toBe(
      'invite.not_found',
    );
  }
  await hub.http().delete('/api/v1/me/invite-links/not-a-uuid').set(owner.auth).expect(404);
  await hub.http().delete(`/api/v1/me/invite-links/${l.id}`).set(owner.auth).expect(204);
  await hub.http().delete(`/api/v1/me/invite-links/${l.id}`).set(owner.auth).expect(404);
  expect((await redeem(stranger, l.token).expect(404)).body.code).toBe('invite.not_found');
  await hub.http().get(`/api/v1/invite-links/${l.token}`).expect(404);
  const ids = (await hub.http().get('/api/v1/me/invite-links').set(owner.auth)).body.invite_links.map(
    (i: { id: string }) => i.id,
  );
  expect(ids).not.toContain(l.id);
});

test('race: 20 concurrent redeemers of a max_uses:3 link → exactly 3 shares', async () => {
  const s = await seedServer(hub, owner.id, ['Race']);
  const l = await createLink({ server_id: s.id, max_uses: 3 });
  const users = await Promise.all(Array.from({ length: 20 }, () => registerUser(hub)));
  const res = await Promise.all(users.map((u) => redeem(u, l.token)));
  const statuses = res.map((r) => r.status).sort();
  expect(statuses.filter((x) => x === 201)).toHaveLength(3);
  expect(statuses.filter((x) => x === 410)).toHaveLength(17);
  expect(await useCount(l.id)).toBe(3);
  const rows: { n: number | string }[] = await hub.ds.query(
    'SELECT COUNT(*) AS n FROM library_shares WHERE server_id = ?',
    [s.id],
  );
  expect(Number(rows[0].n)).toBe(3);
});

test('race: one user redeeming twice at once gets one share and spends one use', async () => {
  const u = await registerUser(hub);
  const s = await seedServer(hub, owner.id, ['Twice']);
  const l = await createLink({ server_id: s.id, max_uses: 5 });
  const res = await Promise.all([redeem(u, l.token), redeem(u, l.token), redeem(u, l.token)]);
  expect(res.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  expect(await useCount(l.id)).toBe(1);
});
