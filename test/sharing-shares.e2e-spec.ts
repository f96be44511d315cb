import { randomUUID } from 'node:crypto';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { countRows, seedServer, SeededServer, shadowUser, share } from './helpers/sharing-fixtures.js';
import { HubEvents } from '../src/common/hub-events.js';
import { AuditLog } from '../src/audit/entities/audit-log.entity.js';
import { ServerLibrary } from '../src/servers/entities/server-library.entity.js';
import { SharingStore } from '../src/sharing/sharing-store.js';
import { SharesRepository } from '../src/sharing/shares.repository.js';

let hub: TestHub;
let owner: TestUser;
let grantee: TestUser;
let stranger: TestUser;
let srv: SeededServer;
let strangerSrv: SeededServer;
const changed: { serverId: string; granteeId: string }[] = [];
const HOUR = 3600_000;

beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_JWT_ACCESS_TTL: '86400' } });
  await registerAdmin(hub);
  owner = await registerUser(hub);
  grantee = await registerUser(hub);
  stranger = await registerUser(hub);
  srv = await seedServer(hub, owner.id, ['Movies', 'Shows', 'Music']);
  strangerSrv = await seedServer(hub, stranger.id, ['Films']);
  hub.get(HubEvents).on('share.changed', (p) => {
    changed.push(p);
  });
});
afterAll(async () => {
  await hub.close();
});

const post = (u: TestUser | null, body: unknown) => {
  const r = hub.http().post('/api/v1/me/shares');
  return (u ? r.set(u.auth) : r).send(body as object);
};
const list = (u: TestUser) =>
  hub
    .http()
    .get('/api/v1/me/shares')
    .set(u.auth)
    .expect(200)
    .then((r) => r.body);

test('owner shares a library by username; both sides see it with names', async () => {
  const lib = srv.libraries[0];
  const r = await post(owner, {
    server_id: srv.id,
    library_id: lib.libraryId,
    username: grantee.username.toUpperCase(),
    permission: 'play',
  }).expect(201);
  expect(r.body).toMatchObject({
    server_id: srv.id,
    server_name: srv.name,
    library_id: lib.libraryId,
    library_name: 'Movies',
    scope: 'library',
    permission: 'play',
    status: 'active',
    source: 'direct',
    expires_at: null,
    owner_user_id: owner.id,
    grantee_user_id: grantee.id,
    owner_display_name: owner.username,
    grantee_display_name: grantee.username,
  });
  expect(r.body.owner).toEqual({ id: owner.id, username: owner.username, display_name: owner.username });
  expect(JSON.stringify(r.body)).not.toContain('@example.test');
  const mine = await list(owner);
  expect(mine.outgoing.map((s: { id: string }) => s.id)).toEqual([r.body.id]);
  expect(mine.incoming).toEqual([]);
  const theirs = await list(grantee);
  expect(theirs.outgoing).toEqual([]);
  expect(theirs.incoming).toHaveLength(1);
  expect(theirs.incoming[0]).toMatchObject({
    id: r.body.id,
    server_name: srv.name,
    library_name: 'Movies',
    owner_display_name: owner.username,
    permission: 'play',
  });
  expect(typeof theirs.incoming[0].created_at).toBe('string');
  expect(await list(stranger)).toEqual({ outgoing: [], incoming: [] });
});

test('whole-server share by email with an expiry', async () => {
  const exp = new Date(hub.clock.now() + 24 * HOUR).toISOString();
  const r = await post(owner, {
    server_id: srv.id,
    library_id: null,
    email: grantee.email.toUpperCase(),
    permission: 'view',
    expires_at: exp,
  }).expect(201);
  expect(r.body).toMatchObject({
    library_id: null,
    library_name: null,
    scope: 'server',
    permission: 'view',
    expires_at: exp,
  });
  // library_id absent = whole server too: a duplicate
  const d = await post(owner, { server_id: srv.id, username: grantee.username, permission: 'download' }).expect(409);
  expect(d.body.code).toBe('share.exists');
});

test('bad input: 4xx and nothing written', async () => {
  const before = await countRows(hub, 'library_shares');
  const lib = srv.libraries[1].libraryId;
  const base = { server_id: srv.id, library_id: lib, username: stranger.username, permission: 'view' };
  const bad: [Record<string, unknown>, number, string][] = [
    [{ ...base, permission: 'readwrite' }, 400, 'request.validation_failed'],
    [{ ...base, permission: undefined }, 400, 'request.validation_failed'],
    [{ ...base, email: stranger.email }, 400, 'request.validation_failed'],
    [{ ...base, username: undefined }, 400, 'request.validation_failed'],
    [{ ...base, server_id: 'nope' }, 400, 'request.validation_failed'],
    [{ ...base, library_id: 7 }, 400, 'request.validation_failed'],
    [{ ...base, expires_at: new Date(hub.clock.now() - 1000).toISOString() }, 400, 'request.validation_failed'],
    [{ ...base, expires_at: 'tomorrow' }, 400, 'request.validation_failed'],
    [{ ...base, expires_at: -5 }, 400, 'request.validation_failed'],
    [{ ...base, extra: 1 }, 400, 'request.validation_failed'],
    [{ ...base, server_id: randomUUID() }, 404, 'server.not_found'],
    [{ ...base, server_id: strangerSrv.id }, 404, 'server.not_found'],
    [{ ...base, library_id: 'no-such-library' }, 404, 'share.library_not_found'],
    [{ ...base, library_id: strangerSrv.libraries[0].libraryId }, 404, 'share.library_not_found'],
    [{ ...base, username: owner.username }, 400, 'share.self'],
  ];
  for (const [body, status, code] of bad) {
    const r = await post(owner, body);
    expect([r.status, r.body.code, JSON.stringify(body)]).toEqual([status, code, JSON.stringify(body)]);
  }
  const nf = await post(owner, { ...base, username: 'nobody_here' }).expect(404);
  expect(nf.body.code).toBe('share.user_not_found');
  expect(nf.body.error).toMatch(/cannot cross hubs/);
  await post(owner, { ...base, username: undefined, email: 'someone@other-hub.example' }).expect(404);
  expect(await countRows(hub, 'library_shares')).toBe(before);
});

test('recipients cannot re-share; strangers cannot share a foreign server', async () => {
  const body = {
    server_id: srv.id,
    library_id: srv.libraries[0].libraryId,
    username: stranger.username,
    permission: 'view',
  };
  const before = await countRows(hub, 'library_shares');
  expect((await post(grantee, body).expect(403)).body.code).toBe('share.not_owner');
  expect((await post(stranger, { ...body, username: grantee.username }).expect(404)).body.code).toBe(
    'server.not_found',
  );
  expect(await countRows(hub, 'library_shares')).toBe(before);
});

test('no token: 401 on every route', async () => {
  const id = randomUUID();
  for (const r of [
    hub.http().get('/api/v1/me/shares'),
    hub.http().post('/api/v1/me/shares').send({}),
    hub.http().patch(`/api/v1/me/shares/${id}`).send({ permission: 'view' }),
    hub.http().delete(`/api/v1/me/shares/${id}`),
  ]) {
    const res = await r;
    expect([res.status, res.body.code]).toEqual([401, 'auth.required']);
  }
});

test('PATCH: owner changes permission and expiry; grantee 403, stranger 404; bad input 400', async () => {
  const { incoming } = await list(grantee);
  const sh = incoming.find((s: { library_id: string | null }) => s.library_id === srv.libraries[0].libraryId);
  const url = `/api/v1/me/shares/${sh.id}`;
  changed.length = 0;
  const exp = new Date(hub.clock.now() + 48 * HOUR).toISOString();
  const r = await hub.http().patch(url).set(owner.auth).send({ permission: 'download', expires_at: exp }).expect(200);
  expect(r.body).toMatchObject({ id: sh.id, permission: 'download', expires_at: exp });
  expect(changed).toEqual([{ serverId: srv.id, granteeId: grantee.id }]);
  expect(
    (await hub.http().patch(url).set(owner.auth).send({ expires_at: null }).expect(200)).body.expires_at,
  ).toBeNull();
  for (const body of [
    {},
    { permission: 'admin' },
    { expires_at: new Date(hub.clock.now()).toISOString() },
    { server_id: srv.id },
  ]) {
    expect((await hub.http().patch(url).set(owner.auth).send(body).expect(400)).body.code).toBe(
      'request.validation_failed',
    );
  }
  expect((await hub.http().patch(url).set(grantee.auth).send({ permission: 'download' }).expect(403)).body.code).toBe(
    'share.not_owner',
  );
  expect((await hub.http().patch(url).set(stranger.auth).send({ permission: 'download' }).expect(404)).body.code).toBe(
    'share.not_found',
  );
  expect(
    (await hub.http().patch('/api/v1/me/shares/not-a-uuid').set(owner.auth).send({ permission: 'view' }).expect(404))
      .body.code,
  ).toBe('share.not_found');
  const after = (await list(grantee)).incoming.find((s: { id: string }) => s.id === sh.id);
  expect(after).toMatchObject({ permission: 'download', expires_at: null });
});

test('DELETE: grantee 403, stranger 404, owner revokes at once; the slot can be shared again', async () => {
  const lib = srv.libraries[2].libraryId;
  const sh = await share(hub, owner, {
    server_id: srv.id,
    library_id: lib,
    username: stranger.username,
    permission: 'play',
  });
  const url = `/api/v1/me/shares/${sh.id}`;
  expect((await hub.http().delete(url).set(stranger.auth).expect(403)).body.code).toBe('share.not_owner');
  expect((await hub.http().delete(url).set(grantee.auth).expect(404)).body.code).toBe('share.not_found');
  changed.length = 0;
  await hub.http().delete(url).set(owner.auth).expect(204);
  expect(changed).toEqual([{ serverId: srv.id, granteeId: stranger.id }]);
  expect((await list(stranger)).incoming).toEqual([]);
  expect((await list(owner)).outgoing.map((s: { id: string }) => s.id)).not.toContain(sh.id);
  await hub.http().delete(url).set(owner.auth).expect(404);
  await hub.http().patch(url).set(owner.auth).send({ permission: 'view' }).expect(404);
  const audit = await hub.ds.getRepository(AuditLog).find({ where: { targetId: sh.id } });
  expect(audit.map((a) => a.action).sort()).toEqual(['share.created', 'share.revoked']);
  await share(hub, owner, { server_id: srv.id, library_id: lib, username: stranger.username, permission: 'view' });
});

test('expired shares vanish everywhere and free their slot', async () => {
  const s2 = await seedServer(hub, owner.id, ['Docs']);
  const lib = s2.libraries[0].libraryId;
  const sh = await share(hub, owner, {
    server_id: s2.id,
    library_id: lib,
    username: grantee.username,
    permission: 'play',
    expires_at: new Date(hub.clock.now() + HOUR).toISOString(),
  });
  expect((await list(grantee)).incoming.map((s: { id: string }) => s.id)).toContain(sh.id);
  hub.clock.advance(HOUR - 1);
  expect((await list(owner)).outgoing.map((s: { id: string }) => s.id)).toContain(sh.id);
  hub.clock.advance(1);
  expect((await list(grantee)).incoming.map((s: { id: string }) => s.id)).not.toContain(sh.id);
  expect((await list(owner)).outgoing.map((s: { id: string }) => s.id)).not.toContain(sh.id);
  await hub.http().patch(`/api/v1/me/shares/${sh.id}`).set(owner.auth).send({ permission: 'view' }).expect(404);
  await hub.http().delete(`/api/v1/me/shares/${sh.id}`).set(owner.auth).expect(404);
  const again = await share(hub, owner, {
    server_id: s2.id,
    library_id: lib,
    username: grantee.username,
    permission: 'view',
  });
  expect(again.id).not.toBe(sh.id);
});

test('linked (shadow) accounts may receive shares but not share or invite', async () => {
  const shadow = await shadowUser(hub);
  const s3 = await seedServer(hub, shadow.id, ['Theirs']);
  await share(hub, owner, { server_id: srv.id, library_id: null, username: shadow.username, permission: 'view' });
  expect((await list(shadow)).incoming).toHaveLength(1);
  const before = await countRows(hub, 'library_shares');
  const r = await post(shadow, {
    server_id: s3.id,
    library_id: null,
    username: grantee.username,
    permission: 'view',
  }).expect(403);
  expect(r.body.code).toBe('auth.forbidden');
  await hub
    .http()
    .post('/api/v1/me/invite-links')
    .set(shadow.auth)
    .send({ server_id: s3.id, permission: 'view' })
    .expect(403);
  expect(await countRows(hub, 'library_shares')).toBe(before);
  expect(await countRows(hub, 'invite_links')).toBe(0);
});

test('concurrent duplicate shares: exactly one is created', async () => {
  const s4 = await seedServer(hub, owner.id, ['Race']);
  const body = {
    server_id: s4.id,
    library_id: s4.libraries[0].libraryId,
    username: grantee.username,
    permission: 'view',
  };
  const res = await Promise.all(Array.from({ length: 8 }, () => post(owner, body)));
  expect(res.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  const rows: { n: number | string }[] = await hub.ds.query(
    'SELECT COUNT(*) AS n FROM library_shares WHERE server_id = ?',
    [s4.id],
  );
  expect(Number(rows[0].n)).toBe(1);
});

test("the list answers what each share's own view says, in one query (library gone → the name it had)", async () => {
  const other = await registerUser(hub);
  const exp = new Date(hub.clock.now() + 5 * HOUR).toISOString();
  await post(owner, {
    server_id: srv.id,
    library_id: srv.libraries[1].libraryId,
    username: other.username,
    permission: 'download',
  }).expect(201);
  const music = await post(owner, {
    server_id: srv.id,
    library_id: srv.libraries[2].libraryId,
    username: other.username,
    permission: 'view',
    expires_at: exp,
  }).expect(201);
  await post(owner, { server_id: srv.id, library_id: null, username: other.username, permission: 'play' }).expect(201);
  await post(stranger, {
    server_id: strangerSrv.id,
    library_id: strangerSrv.libraries[0].libraryId,
    username: other.username,
    permission: 'play',
  }).expect(201);
  // the server stops reporting "Music": the share keeps the name it was made with
  await hub.ds.getRepository(ServerLibrary).delete({ serverId: srv.id, libraryId: srv.libraries[2].libraryId });
  const store = hub.get(SharingStore);
  for (const u of [owner, other, stranger]) {
    const body = await list(u);
    const rows: { id: string }[] = [...body.outgoing, ...body.incoming];
    expect(rows.length).toBeGreaterThan(0);
    const entities = await hub.get(SharesRepository).findByIds(rows.map((r) => r.id));
    const ctx = await store.context(entities);
    const views = rows.map((r) =>
      JSON.parse(
        JSON.stringify(
          store.shareView(
            entities.find((e) => e.id === r.id)!,
            ctx,
          ),
        ),
      ),
    );
    expect(rows).toEqual(views);
  }
  const incoming = (await list(other)).incoming;
  expect(incoming).toHaveLength(4);
  expect(incoming.find((s: { id: string }) => s.id === music.body.id)).toMatchObject({
    library_name: 'Music',
    expires_at: exp,
    status: 'active',
  });
});
