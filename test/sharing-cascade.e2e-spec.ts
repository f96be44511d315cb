import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { seedServer, share } from './helpers/sharing-fixtures.js';
import { HubEvents } from '../src/common/hub-events.js';
import { AccessService } from '../src/sharing/access.service.js';
import { Server } from '../src/servers/entities/server.entity.js';
import { LibraryShare } from '../src/sharing/entities/library-share.entity.js';
import { InviteLink } from '../src/sharing/entities/invite-link.entity.js';

let hub: TestHub;
let admin: TestUser;
let owner: TestUser;
let grantee: TestUser;
let stranger: TestUser;
const changed: { serverId: string; granteeId: string }[] = [];

beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_JWT_ACCESS_TTL: '86400' } });
  admin = await registerAdmin(hub);
  owner = await registerUser(hub);
  grantee = await registerUser(hub);
  stranger = await registerUser(hub);
  hub.get(HubEvents).on('share.changed', (p) => {
    changed.push(p);
  });
});
afterAll(async () => {
  await hub.close();
});

const invite = async (u: TestUser, serverId: string) =>
  (
    await hub
      .http()
      .post('/api/v1/me/invite-links')
      .set(u.auth)
      .send({ server_id: serverId, permission: 'view', max_uses: 5 })
      .expect(201)
  ).body;
const incoming = async (u: TestUser) =>
  (await hub.http().get('/api/v1/me/shares').set(u.auth).expect(200)).body.incoming;

test('unclaiming a server (DELETE /api/v1/me/servers/{id}) ends its shares and invite links (and tells the relay)', async () => {
  const s = await seedServer(hub, owner.id, ['Movies']);
  const keep = await seedServer(hub, owner.id, ['Other']);
  await share(hub, owner, { server_id: s.id, library_id: null, username: grantee.username, permission: 'play' });
  await share(hub, owner, {
    server_id: s.id,
    library_id: s.libraries[0].libraryId,
    username: stranger.username,
    permission: 'view',
  });
  const kept = await share(hub, owner, {
    server_id: keep.id,
    library_id: null,
    username: grantee.username,
    permission: 'view',
  });
  const link = await invite(owner, s.id);
  const keptLink = await invite(owner, keep.id);
  changed.length = 0;
  await hub.http().delete(`/api/v1/me/servers/${s.id}`).set(owner.auth).expect(204);
  expect(changed).toEqual(
    expect.arrayContaining([
      { serverId: s.id, granteeId: grantee.id },
      { serverId: s.id, granteeId: stranger.id },
    ]),
  );
  expect(changed).toHaveLength(2);
  const rows = await hub.ds.getRepository(LibraryShare).find({ where: { serverId: s.id } });
  expect(rows.map((r) => [r.revokeReason, r.activeKey, r.revokedAt !== null])).toEqual([
    ['server_released', null, true],
    ['server_released', null, true],
  ]);
  expect((await incoming(grantee)).map((x: { id: string }) => x.id)).toEqual([kept.id]);
  expect(await incoming(stranger)).toEqual([]);
  expect((await hub.get(AccessService).decide(grantee.id, s.id, null, 'browse')).allowed).toBe(false);
  expect(
    (await hub.http().post(`/api/v1/invite-links/${link.token}/redeem`).set(stranger.auth).expect(404)).body.code,
  ).toBe('invite.not_found');
  await hub.http().post(`/api/v1/invite-links/${keptLink.token}/redeem`).set(stranger.auth).expect(201);
  // re-claimed by someone else later: the old grants do not come back
  await hub.ds.getRepository(Server).update({ id: s.id }, { ownerId: stranger.id });
  expect((await hub.get(AccessService).decide(grantee.id, s.id, null, 'browse')).allowed).toBe(false);
});

test('deleting a user (admin route) ends the shares to and from them and their invite links', async () => {
  const victim = await registerUser(hub);
  const theirs = await seedServer(hub, victim.id, ['Theirs']);
  const ours = await seedServer(hub, owner.id, ['Ours']);
  await share(hub, victim, { server_id: theirs.id, library_id: null, username: grantee.username, permission: 'play' });
  await share(hub, owner, { server_id: ours.id, library_id: null, username: victim.username, permission: 'play' });
  const untouched = await share(hub, owner, {
    server_id: ours.id,
    library_id: null,
    username: stranger.username,
    permission: 'view',
  });
  await invite(victim, theirs.id);
  const ownerLink = await invite(owner, ours.id);
  changed.length = 0;
  await hub.http().delete(`/api/v1/admin/users/${victim.id}`).set(admin.auth).expect(204);
  expect(changed).toEqual(
    expect.arrayContaining([
      { serverId: theirs.id, granteeId: grantee.id },
      { serverId: ours.id, granteeId: victim.id },
    ]),
  );
  const left = await hub.ds
    .getRepository(LibraryShare)
    .find({ where: [{ ownerId: victim.id }, { granteeId: victim.id }] });
  expect(left).toEqual([]);
  expect(await hub.ds.getRepository(InviteLink).count({ where: { ownerId: victim.id } })).toBe(0);
  expect((await incoming(grantee)).map((x: { server_id: string }) => x.server_id)).not.toContain(theirs.id);
  expect((await incoming(stranger)).map((x: { id: string }) => x.id)).toContain(untouched.id);
  expect(await hub.ds.getRepository(InviteLink).count({ where: { id: ownerLink.id } })).toBe(1);
});

describe('admin views', () => {
  let s: Awaited<ReturnType<typeof seedServer>>;
  beforeAll(async () => {
    s = await seedServer(hub, owner.id, ['A', 'B', 'C']);
    for (const l of s.libraries) {
      await share(hub, owner, {
        server_id: s.id,
        library_id: l.libraryId,
        username: grantee.username,
        permission: 'view',
      });
    }
    await invite(owner, s.id);
    await invite(owner, s.id);
  });

  test('shares: paged, filtered; revoke ends a share at once', async () => {
    const p1 = await hub.http().get(`/api/v1/admin/shares?server_id=${s.id}&per_page=2`).set(admin.auth).expect(200);
    expect(p1.body).toMatchObject({ page: 1, per_page: 2, total: 3 });
    expect(p1.body.items).toHaveLength(2);
    const p2 = await hub
      .http()
      .get(`/api/v1/admin/shares?server_id=${s.id}&per_page=2&page=2`)
      .set(admin.auth)
      .expect(200);
    expect(p2.body.items).toHaveLength(1);
    const ids = [...p1.body.items, ...p2.body.items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(3);
    expect(p1.body.items[0]).toMatchObject({
      server_name: s.name,
      owner: { id: owner.id },
      grantee: { id: grantee.id },
      status: 'active',
    });
    const byUser = await hub.http().get(`/api/v1/admin/shares?user_id=${grantee.id}`).set(admin.auth).expect(200);
    expect(
      byUser.body.items.every(
        (i: { grantee_user_id: string; owner_user_id: string }) =>
          i.grantee_user_id === grantee.id || i.owner_user_id === grantee.id,
      ),
    ).toBe(true);
    changed.length = 0;
    await hub.http().delete(`/api/v1/admin/shares/${ids[0]}`).set(admin.auth).expect(204);
    expect(changed).toEqual([{ serverId: s.id, granteeId: grantee.id }]);
    await hub.http().delete(`/api/v1/admin/shares/${ids[0]}`).set(admin.auth).expect(404);
    expect((await incoming(grantee)).map((x: { id: string }) => x.id)).not.toContain(ids[0]);
    expect((await hub.http().get(`/api/v1/admin/shares?server_id=${s.id}`).set(admin.auth)).body.total).toBe(2);
    const all = await hub.http().get(`/api/v1/admin/shares?server_id=${s.id}&status=all`).set(admin.auth).expect(200);
    expect(all.body.items.find((i: { id: string }) => i.id === ids[0]).status).toBe('revoked');
  });

  test('invite links: listed without tokens; revoke stops them', async () => {
    const r = await hub.http().get(`/api/v1/admin/invite-links?server_id=${s.id}`).set(admin.auth).expect(200);
    expect(r.body.total).toBe(2);
    expect(r.body.items[0]).toMatchObject({ server_id: s.id, owner_user_id: owner.id, status: 'active', url: null });
    expect(r.body.items[0].token).toBeUndefined();
    await hub.http().delete(`/api/v1/admin/invite-links/${r.body.items[0].id}`).set(admin.auth).expect(204);
    await hub.http().delete(`/api/v1/admin/invite-links/${r.body.items[0].id}`).set(admin.auth).expect(404);
    expect((await hub.http().get(`/api/v1/admin/invite-links?server_id=${s.id}`).set(admin.auth)).body.total).toBe(1);
    expect(
      (await hub.http().get(`/api/v1/admin/invite-links?server_id=${s.id}&status=all`).set(admin.auth)).body.total,
    ).toBe(2);
  });

  test('non-admins 403, no token 401, bad input 400, unknown ids 404', async () => {
    for (const path of ['/api/v1/admin/shares', '/api/v1/admin/invite-links']) {
      expect((await hub.http().get(path).set(owner.auth).expect(403)).body.code).toBe('auth.not_admin');
      await hub.http().get(path).expect(401);
      await hub.http().delete(`${path}/${randomUUID()}`).set(grantee.auth).expect(403);
      await hub.http().delete(`${path}/${randomUUID()}`).expect(401);
      await hub.http().delete(`${path}/${randomUUID()}`).set(admin.auth).expect(404);
      for (const q of ['per_page=0', 'page=x', 'status=gone', 'server_id=nope']) {
        expect((await hub.http().get(`${path}?${q}`).set(admin.auth).expect(400)).body.code).toBe(
          'request.validation_failed',
        );
      }
    }
  });
});

test('server.released from any source (admin release, re-claim, deregister) ends the shares too', async () => {
  const s = await seedServer(hub, owner.id, ['Movies']);
  await share(hub, owner, { server_id: s.id, library_id: null, username: grantee.username, permission: 'play' });
  const link = await invite(owner, s.id);
  await hub.ds.getRepository(Server).update({ id: s.id }, { ownerId: null, enrollmentJti: null });
  await hub.get(HubEvents).emit('server.released', { serverId: s.id, previousOwnerId: owner.id, reason: 'released' });
  expect(await hub.ds.getRepository(LibraryShare).count({ where: { serverId: s.id, activeKey: IsNull() } })).toBe(1);
  expect((await hub.ds.getRepository(InviteLink).findOneByOrFail({ id: link.id })).revokedAt).not.toBeNull();
  // handed back to the same owner later: the old grants stay ended
  await hub.ds.getRepository(Server).update({ id: s.id }, { ownerId: owner.id });
  expect((await hub.get(AccessService).decide(grantee.id, s.id, null, 'browse')).allowed).toBe(false);
});
