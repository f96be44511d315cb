import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { User } from '../src/users/entities/user.entity.js';
import { UsersService } from '../src/users/users.service.js';
import { HubEvents } from '../src/common/hub-events.js';

let hub: TestHub;
let admin: TestUser;
const deleted: string[] = [];
const disabled: string[] = [];
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
  const events = hub.get(HubEvents);
  events.on('user.deleted', ({ userId }) => {
    deleted.push(userId);
  });
  events.on('user.disabled', ({ userId }) => {
    disabled.push(userId);
  });
});
afterAll(async () => {
  await hub.close();
});

const BASE = '/api/v1/admin/users';
const UNKNOWN = '9b2f7c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const users = () => hub.ds.getRepository(User);
const patch = (id: string, body: object, auth = admin.auth) => hub.http().patch(`${BASE}/${id}`).set(auth).send(body);
const del = (id: string, auth = admin.auth) => hub.http().delete(`${BASE}/${id}`).set(auth);
const login = (u: { username: string; password: string }, password = u.password) =>
  hub.http().post('/api/v1/auth/login').send({ username: u.username, password });
async function makeAdmin(): Promise<TestUser> {
  const u = await registerUser(hub);
  await patch(u.id, { is_admin: true }).expect(200);
  return u;
}

describe('PATCH', () => {
  test('disable: refused at once (access + refresh), event emitted; re-enable restores sign-in', async () => {
    const u = await registerUser(hub);
    const r = await patch(u.id, { disabled: true }).expect(200);
    expect(r.body).toMatchObject({ id: u.id, disabled: true });
    expect((await hub.http().get('/api/v1/me').set(u.auth)).status).toBe(403);
    expect((await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: u.refresh })).status).toBe(401);
    expect(disabled).toContain(u.id);
    await patch(u.id, { disabled: false }).expect(200);
    await login(u).expect(200);
  });

  test('set admin / unset admin', async () => {
    const u = await registerUser(hub);
    expect((await hub.http().get(BASE).set(u.auth)).status).toBe(403);
    expect((await patch(u.id, { is_admin: true }).expect(200)).body.is_admin).toBe(true);
    await hub.http().get(BASE).set(u.auth).expect(200);
    await patch(u.id, { is_admin: false }).expect(200);
    expect((await hub.http().get(BASE).set(u.auth)).status).toBe(403);
  });

  test('reset password: old password and sessions end, new password works', async () => {
    const u = await registerUser(hub);
    await patch(u.id, { password: 'brand-new-password' }).expect(200);
    expect((await login(u)).status).toBe(401);
    await login(u, 'brand-new-password').expect(200);
    expect((await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: u.refresh })).status).toBe(401);
  });

  test('rename, email, display name, region (null clears); clashes → 409', async () => {
    const u = await registerUser(hub);
    const other = await registerUser(hub);
    const r = await patch(u.id, {
      username: 'Renamed_One',
      email: 'Renamed@Example.test',
      display_name: 'Renamed',
      region: 'us-east',
    }).expect(200);
    expect(r.body).toMatchObject({
      username: 'Renamed_One',
      email: 'renamed@example.test',
      display_name: 'Renamed',
      region: 'us-east',
    });
    await login({ username: 'renamed_one', password: u.password }).expect(200);
    expect((await patch(u.id, { region: null }).expect(200)).body.region).toBeNull();
    const a = await patch(u.id, { username: other.username.toUpperCase() });
    expect([a.status, a.body.code]).toEqual([409, 'user.username_taken']);
    const b = await patch(u.id, { email: other.email });
    expect([b.status, b.body.code]).toEqual([409, 'user.email_taken']);
    await patch(u.id, { username: 'Renamed_One', email: 'renamed@example.test' }).expect(200); // own values are not a clash
    expect((await patch(u.id, {}).expect(200)).body.username).toBe('Renamed_One');
  });

  test.each([
    ['disabled null', { disabled: null }],
    ['is_admin string', { is_admin: 'true' }],
    ['display_name null', { display_name: null }],
    ['username null', { username: null }],
    ['short password', { password: 'short' }],
    ['extra field', { is_superuser: true }],
    ['over-long email', { email: `${'e'.repeat(250)}@x.test` }],
    ['over-long display_name', { display_name: 'a\uFE0F'.repeat(60) }],
    ['bad region', { region: 'Nope!' }],
    ['array body', [1, 2]],
  ])('400 on %s, nothing changes', async (_n, body) => {
    const u = await registerUser(hub);
    const before = await users().findOneByOrFail({ id: u.id });
    const r = await patch(u.id, body as object);
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
    expect(await users().findOneByOrFail({ id: u.id })).toEqual(before);
  });

  test('unknown id → 404', async () => {
    for (const id of [UNKNOWN, 'nope']) expect((await patch(id, { disabled: true })).body.code).toBe('user.not_found');
  });

  test('an admin cannot demote or disable themself (409), but may edit their own profile', async () => {
    for (const body of [{ is_admin: false }, { disabled: true }]) {
      const r = await patch(admin.id, body);
      expect([r.status, r.body.code]).toEqual([409, 'user.cannot_modify_self']);
    }
    await patch(admin.id, { display_name: 'The Admin' }).expect(200);
    expect((await users().findOneByOrFail({ id: admin.id })).isAdmin).toBe(true);
  });

  test('linked (shadow) accounts cannot be made admin or given a password', async () => {
    const shadow = await hub
      .get(UsersService)
      .create({ username: 'peer_alice', email: null, linkedHubId: 'peer-hub', remoteUserId: 'r-1' });
    for (const body of [{ is_admin: true }, { password: 'password-123' }]) {
      const r = await patch(shadow.id, body);
      expect([r.status, r.body.code]).toEqual([403, 'auth.forbidden']);
    }
  });
});

describe('DELETE', () => {
  test('204; the user is gone, their tokens die, the event fires; again → 404', async () => {
    const u = await registerUser(hub);
    const r = await del(u.id);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(deleted).toContain(u.id);
    expect(await users().exists({ where: { id: u.id } })).toBe(false);
    expect((await hub.http().get('/api/v1/me').set(u.auth)).status).toBe(401);
    expect((await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: u.refresh })).status).toBe(401);
    expect((await del(u.id)).body.code).toBe('user.not_found');
    expect((await del('not-a-uuid')).status).toBe(404);
  });

  test('an admin cannot delete themself', async () => {
    const r = await del(admin.id);
    expect([r.status, r.body.code]).toEqual([409, 'user.cannot_modify_self']);
    expect(await users().exists({ where: { id: admin.id } })).toBe(true);
  });

  test('another admin can be deleted while one remains', async () => {
    const other = await makeAdmin();
    await del(other.id).expect(204);
  });
});

describe('the last admin', () => {
  test('the guard refuses to remove the only active admin (service level)', async () => {
    const svc = hub.get(UsersService);
    expect(await svc.countAdmins()).toBe(1);
    await expect(svc.withAdminGuard(admin.id, async () => 'changed')).rejects.toMatchObject({
      code: 'user.last_admin',
    });
    const other = await makeAdmin();
    await expect(svc.withAdminGuard(admin.id, async () => 'changed')).resolves.toBe('changed');
    await patch(other.id, { is_admin: false }).expect(200);
  });

  test.each([
    ['demote', { is_admin: false }],
    ['disable', { disabled: true }],
    ['delete', null],
  ])('two admins who %s each other at once leave at least one admin', async (_n, body) => {
    for (let round = 0; round < 3; round++) {
      const a = await makeAdmin();
      const b = await makeAdmin();
      // first remove the original admin from the picture so a and b are the only two
      await users().update({ id: admin.id }, { isAdmin: false });
      try {
        const act = (target: string, auth: TestUser['auth']) => (body ? patch(target, body, auth) : del(target, auth));
        const [ra, rb] = await Promise.all([act(b.id, a.auth), act(a.id, b.auth)]);
        const statuses = [ra.status, rb.status];
        expect(statuses.filter((s) => s === 200 || s === 204)).toHaveLength(1);
        for (const r of [ra, rb]) {
          if (r.status >= 400) {
            expect(['user.last_admin', 'auth.not_admin', 'auth.user_disabled', 'auth.invalid_token']).toContain(
              r.body.code,
            );
          }
        }
        expect(await hub.get(UsersService).countAdmins()).toBe(1);
      } finally {
        await users().update({ id: admin.id }, { isAdmin: true });
        for (const u of [a, b]) await users().update({ id: u.id }, { isAdmin: false, disabled: false });
      }
    }
  });
});
