import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { reauth, seedServer, SeededServer, share } from './helpers/sharing-fixtures.js';
import { InviteLink } from '../src/sharing/entities/invite-link.entity.js';
import { LibraryShare } from '../src/sharing/entities/library-share.entity.js';
import { AccessService } from '../src/sharing/access.service.js';

/**
 * Redeeming an invite link while already holding a share (docs/sharing.md, "Redeeming while holding
 * a share"): the result never grants more than the share and the link each grant, and never silently
 * takes away what the share granted.
 */
let hub: TestHub;
let owner: TestUser;
let srv: SeededServer;
const S = 1000;
const DAY = 86400 * S;

beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_JWT_ACCESS_TTL: '86400' } });
  await registerAdmin(hub);
  owner = await registerUser(hub);
  srv = await seedServer(hub, owner.id, ['Movies', 'Shows']);
});
afterAll(async () => {
  await hub.close();
});
beforeEach(async () => {
  await reauth(hub, owner);
});

const lib = () => srv.libraries[0].libraryId;
const at = (ms: number) => new Date(hub.clock.now() + ms).toISOString();
const link = async (body: Record<string, unknown>) => {
  const r = await hub
    .http()
    .post('/api/v1/me/invite-links')
    .set(owner.auth)
    .send({ server_id: srv.id, max_uses: 5, ...body });
  if (r.status !== 201) throw new Error(`invite failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; token: string };
};
const redeem = (u: TestUser, token: string) => hub.http().post(`/api/v1/invite-links/${token}/redeem`).set(u.auth);
const useCount = async (id: string) => (await hub.ds.getRepository(InviteLink).findOneByOrFail({ id })).useCount;
const liveShares = async (u: TestUser) =>
  (await hub.ds.getRepository(LibraryShare).find({ where: { granteeId: u.id } }))
    .filter((s) => s.revokedAt === null && (s.expiresAt === null || s.expiresAt > hub.clock.now()))
    .map((s) => ({ libraryId: s.libraryId, permission: s.permission, expiresAt: s.expiresAt }))
    .sort((a, b) => String(a.libraryId).localeCompare(String(b.libraryId)));
const can = (u: TestUser, action: 'browse' | 'play' | 'download', library: string | null = lib()) =>
  hub
    .get(AccessService)
    .decide(u.id, srv.id, library, action)
    .then((d) => d.allowed);

test('permanent view share + 60 s download link (same scope) → 409 invite.share_conflict: no permanent download, nothing changed, no use spent', async () => {
  const u = await registerUser(hub);
  await share(hub, owner, { server_id: srv.id, library_id: null, username: u.username, permission: 'view' });
  const l = await link({ library_id: null, permission: 'download', expires_in: 60 });
  const r = await redeem(u, l.token);
  expect([r.status, r.body.code]).toEqual([409, 'invite.share_conflict']);
  expect(await useCount(l.id)).toBe(0);
  expect(await liveShares(u)).toEqual([{ libraryId: null, permission: 'view', expiresAt: null }]);
  hub.clock.advance(61 * S);
  expect([await can(u, 'browse'), await can(u, 'download')]).toEqual([true, false]);
});

test('a link covering the share entirely (higher permission, lasts at least as long) replaces it', async () => {
  const u = await registerUser(hub);
  const sh = await share(hub, owner, {
    server_id: srv.id,
    library_id: null,
    username: u.username,
    permission: 'view',
    expires_at: at(DAY),
  });
  const l = await link({ library_id: null, permission: 'download', expires_in: 2 * 86400 });
  const linkExpiry = (await hub.ds.getRepository(InviteLink).findOneByOrFail({ id: l.id })).expiresAt;
  const r = await redeem(u, l.token).expect(201);
  expect(r.body).toMatchObject({ id: sh.id, permission: 'download', expires_at: new Date(linkExpiry!).toISOString() });
  expect(await useCount(l.id)).toBe(1);
  const forever = await link({ library_id: null, permission: 'download', expires_in: 0 });
  expect((await redeem(u, forever.token).expect(201)).body).toMatchObject({
    id: sh.id,
    permission: 'download',
    expires_at: null,
  });
});

test('a link that would lower the permission (download share for a day, permanent view link) → 409 invite.share_conflict', async () => {
  const u = await registerUser(hub);
  await share(hub, owner, {
    server_id: srv.id,
    library_id: null,
    username: u.username,
    permission: 'download',
    expires_at: at(DAY),
  });
  const l = await link({ library_id: null, permission: 'view', expires_in: 0 });
  const r = await redeem(u, l.token);
  expect([r.status, r.body.code]).toEqual([409, 'invite.share_conflict']);
  expect(await useCount(l.id)).toBe(0);
  expect(await liveShares(u)).toEqual([{ libraryId: null, permission: 'download', expiresAt: hub.clock.now() + DAY }]);
});

test('a share that already covers the link (permission and expiry) → 409 share.exists, no use spent', async () => {
  const u = await registerUser(hub);
  await share(hub, owner, { server_id: srv.id, library_id: null, username: u.username, permission: 'play' });
  for (const body of [
    { library_id: null, permission: 'view', expires_in: 3600 },
    { library_id: lib(), permission: 'play', expires_in: 0 },
  ]) {
    const l = await link(body);
    expect((await redeem(u, l.token).expect(409)).body.code).toBe('share.exists');
    expect(await useCount(l.id)).toBe(0);
  }
});

test('whole-server permanent view + 60 s download link for one library → a separate 60 s library grant; view stays', async () => {
  const u = await registerUser(hub);
  await share(hub, owner, { server_id: srv.id, library_id: null, username: u.username, permission: 'view' });
  const l = await link({ library_id: lib(), permission: 'download', expires_in: 60 });
  const r = await redeem(u, l.token).expect(201);
  expect(r.body).toMatchObject({ permission: 'download', expires_at: at(60 * S) });
  expect(await liveShares(u)).toEqual([
    { libraryId: lib(), permission: 'download', expiresAt: hub.clock.now() + 60 * S },
    { libraryId: null, permission: 'view', expiresAt: null },
  ]);
  expect(await can(u, 'download')).toBe(true);
  expect(await can(u, 'download', srv.libraries[1].libraryId)).toBe(false);
  hub.clock.advance(61 * S);
  expect([await can(u, 'browse'), await can(u, 'download')]).toEqual([true, false]);
});

test('a whole-server share that ends sooner than a library link does not swallow it: the link adds its own grant', async () => {
  const u = await registerUser(hub);
  await share(hub, owner, {
    server_id: srv.id,
    library_id: null,
    username: u.username,
    permission: 'download',
    expires_at: at(DAY),
  });
  const l = await link({ library_id: lib(), permission: 'view', expires_in: 0 });
  await redeem(u, l.token).expect(201);
  expect(await can(u, 'download')).toBe(true);
  hub.clock.advance(DAY + S);
  expect([await can(u, 'browse'), await can(u, 'play'), await can(u, 'browse', srv.libraries[1].libraryId)]).toEqual([
    true,
    false,
    false,
  ]);
});

test('a library share + a short whole-server link → a separate whole-server grant; the library share is unchanged', async () => {
  const u = await registerUser(hub);
  await share(hub, owner, { server_id: srv.id, library_id: lib(), username: u.username, permission: 'play' });
  const l = await link({ library_id: null, permission: 'download', expires_in: 60 });
  await redeem(u, l.token).expect(201);
  expect(await liveShares(u)).toEqual([
    { libraryId: lib(), permission: 'play', expiresAt: null },
    { libraryId: null, permission: 'download', expiresAt: hub.clock.now() + 60 * S },
  ]);
  hub.clock.advance(61 * S);
  expect([await can(u, 'play'), await can(u, 'download'), await can(u, 'browse', srv.libraries[1].libraryId)]).toEqual([
    true,
    false,
    false,
  ]);
});
