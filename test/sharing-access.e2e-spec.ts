import { randomUUID } from 'node:crypto';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { seedServer, SeededServer, share } from './helpers/sharing-fixtures.js';
import { AccessService } from '../src/sharing/access.service.js';
import { Server } from '../src/servers/entities/server.entity.js';
import { User } from '../src/users/entities/user.entity.js';
import type { AccessAction } from '../src/sharing/permissions.js';

let hub: TestHub;
let access: AccessService;
let owner: TestUser;
let viewer: TestUser; // view on Movies
let player: TestUser; // play on the whole server + download on Shows
let stranger: TestUser;
let srv: SeededServer;
let other: SeededServer;
let M: string;
let S: string;
const HOUR = 3600_000;

beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_JWT_ACCESS_TTL: '86400' } });
  access = hub.get(AccessService);
  await registerAdmin(hub);
  [owner, viewer, player, stranger] = [
    await registerUser(hub),
    await registerUser(hub),
    await registerUser(hub),
    await registerUser(hub),
  ];
  srv = await seedServer(hub, owner.id, ['Movies', 'Shows']);
  other = await seedServer(hub, stranger.id, ['Elsewhere']);
  [M, S] = srv.libraries.map((l) => l.libraryId);
  await share(hub, owner, { server_id: srv.id, library_id: M, username: viewer.username, permission: 'view' });
  await share(hub, owner, { server_id: srv.id, library_id: null, username: player.username, permission: 'play' });
  await share(hub, owner, { server_id: srv.id, library_id: S, username: player.username, permission: 'download' });
});
afterAll(async () => {
  await hub.close();
});

type Row = [
  string,
  () => string,
  () => string,
  () => string | null,
  AccessAction,
  boolean,
  'owner' | 'grantee' | null,
  () => string[] | null,
  string | null,
];
const TABLE: Row[] = [
  ['owner browses', () => owner.id, () => srv.id, () => null, 'browse', true, 'owner', () => null, 'download'],
  [
    'owner downloads a library',
    () => owner.id,
    () => srv.id,
    () => M,
    'download',
    true,
    'owner',
    () => null,
    'download',
  ],
  ['viewer browses Movies', () => viewer.id, () => srv.id, () => M, 'browse', true, 'grantee', () => [M], 'view'],
  ['viewer cannot play Movies', () => viewer.id, () => srv.id, () => M, 'play', false, 'grantee', () => [], 'view'],
  ['viewer cannot browse Shows', () => viewer.id, () => srv.id, () => S, 'browse', false, 'grantee', () => [M], null],
  [
    'viewer browses the server (scoped)',
    () => viewer.id,
    () => srv.id,
    () => null,
    'browse',
    true,
    'grantee',
    () => [M],
    'view',
  ],
  [
    'player plays Movies (whole server)',
    () => player.id,
    () => srv.id,
    () => M,
    'play',
    true,
    'grantee',
    () => null,
    'play',
  ],
  [
    'player cannot download Movies',
    () => player.id,
    () => srv.id,
    () => M,
    'download',
    false,
    'grantee',
    () => [S],
    'play',
  ],
  [
    'player downloads Shows',
    () => player.id,
    () => srv.id,
    () => S,
    'download',
    true,
    'grantee',
    () => [S],
    'download',
  ],
  ['stranger is refused', () => stranger.id, () => srv.id, () => null, 'browse', false, null, () => [], null],
  [
    'grantee of one server has nothing on another',
    () => viewer.id,
    () => other.id,
    () => null,
    'browse',
    false,
    null,
    () => [],
    null,
  ],
  ['unknown server', () => owner.id, () => randomUUID(), () => null, 'browse', false, null, () => [], null],
  ['unknown user', () => randomUUID(), () => srv.id, () => null, 'browse', false, null, () => [], null],
];

test.each(TABLE)('decide: %s', async (_n, user, server, lib, action, allowed, role, libraryIds, permission) => {
  expect(await access.decide(user(), server(), lib(), action)).toEqual({
    allowed,
    role,
    libraryIds: libraryIds(),
    permission,
  });
});

test('decide: expired and revoked shares, disabled users and servers that changed hands count for nothing', async () => {
  const u = await registerUser(hub);
  const s = await seedServer(hub, owner.id, ['A']);
  await share(hub, owner, {
    server_id: s.id,
    library_id: null,
    username: u.username,
    permission: 'download',
    expires_at: new Date(hub.clock.now() + HOUR).toISOString(),
  });
  expect((await access.decide(u.id, s.id, null, 'download')).allowed).toBe(true);
  hub.clock.advance(HOUR);
  expect(await access.decide(u.id, s.id, null, 'browse')).toEqual({
    allowed: false,
    role: null,
    libraryIds: [],
    permission: null,
  });

  const sh = await share(hub, owner, { server_id: s.id, library_id: null, username: u.username, permission: 'play' });
  expect((await access.decide(u.id, s.id, null, 'play')).allowed).toBe(true);
  await hub.ds.getRepository(User).update({ id: u.id }, { disabled: true });
  expect((await access.decide(u.id, s.id, null, 'play')).allowed).toBe(false);
  await hub.ds.getRepository(User).update({ id: u.id }, { disabled: false });
  await hub.http().delete(`/api/v1/me/shares/${sh.id}`).set(owner.auth).expect(204);
  expect((await access.decide(u.id, s.id, null, 'browse')).allowed).toBe(false);

  await share(hub, owner, { server_id: s.id, library_id: null, username: u.username, permission: 'play' });
  await hub.ds.getRepository(Server).update({ id: s.id }, { ownerId: stranger.id });
  expect(await access.decide(u.id, s.id, null, 'browse')).toMatchObject({ allowed: false, role: null });
  expect(await access.decide(stranger.id, s.id, null, 'download')).toMatchObject({ allowed: true, role: 'owner' });
});

describe('GET /api/v1/servers/{id}/shares (enrollment JWT)', () => {
  test('lists the live grants of the calling server', async () => {
    const r = await hub.http().get(`/api/v1/servers/${srv.id}/shares`).set(srv.auth).expect(200);
    expect(r.body.server_id).toBe(srv.id);
    expect(r.body.owner).toEqual({ id: owner.id, username: owner.username, display_name: owner.username });
    const grants = r.body.shares.map((g: Record<string, unknown>) => [g.user_id, g.library_id, g.permission]);
    expect(grants).toEqual(
      expect.arrayContaining([
        [viewer.id, M, 'view'],
        [player.id, null, 'play'],
        [player.id, S, 'download'],
      ]),
    );
    expect(grants).toHaveLength(3);
    expect(r.body.shares.find((g: { user_id: string }) => g.user_id === viewer.id)).toMatchObject({
      username: viewer.username,
      display_name: viewer.username,
      library_name: 'Movies',
      expires_at: null,
    });
    expect(
      (await hub.http().get(`/api/v1/servers/${other.id}/shares`).set(other.auth).expect(200)).body.shares,
    ).toEqual([]);
  });

  test("another server's token → 403 auth.server_mismatch; no or bad token → 401", async () => {
    expect((await hub.http().get(`/api/v1/servers/${srv.id}/shares`).set(other.auth).expect(403)).body.code).toBe(
      'auth.server_mismatch',
    );
    expect((await hub.http().get(`/api/v1/servers/${srv.id}/shares`).expect(401)).body.code).toBe('auth.required');
    await hub.http().get(`/api/v1/servers/${srv.id}/shares`).set({ Authorization: 'Bearer x.y.z' }).expect(401);
    // a user's access token is not a server credential
    await hub.http().get(`/api/v1/servers/${srv.id}/shares`).set(owner.auth).expect(401);
  });
});
