import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { pairServer } from './helpers/servers.js';

let hub: TestHub;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  alice = await registerUser(hub);
  bob = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const login = (username: string, password: string) =>
  hub.http().post('/api/v1/auth/login').send({ username, password });
const hashOf = async (id: string) =>
  (await hub.ds.query('SELECT password_hash FROM users WHERE id = ?', [id]))[0].password_hash as string;
const audits = async (action: string, target: string) =>
  Number(
    (
      await hub.ds.query('SELECT COUNT(*) AS n FROM audit_logs WHERE action = ? AND target_id = ? AND outcome = ?', [
        action,
        target,
        'success',
      ])
    )[0].n,
  );

describe('POST /api/v1/me/password', () => {
  test('changes the password (argon2id), ends the other sessions, keeps this one, audited', async () => {
    const u = await registerUser(hub);
    const other = (await login(u.username, u.password).expect(200)).body;
    const r = await hub
      .http()
      .post('/api/v1/me/password')
      .set(u.auth)
      .send({ current_password: u.password, new_password: 'a-new-long-password' })
      .expect(200);
    expect(r.body).toEqual({ changed: true, sessions_ended: 1 });
    expect(await hashOf(u.id)).toMatch(/^\$argon2id\$/);
    expect((await login(u.username, u.password)).status).toBe(401);
    await login(u.username, 'a-new-long-password').expect(200);
    // the other session is over: its refresh token and its access token
    expect((await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: other.refresh_token })).status).toBe(
      401,
    );
    expect(
      (
        await hub
          .http()
          .get('/api/v1/me')
          .set({ Authorization: `Bearer ${other.access_token}` })
      ).status,
    ).toBe(401);
    // the session that made the change goes on
    await hub.http().get('/api/v1/me').set(u.auth).expect(200);
    await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: u.refresh }).expect(200);
    expect(await audits('auth.password_changed', u.id)).toBe(1);
  });

  test('a wrong current password: 403 auth.wrong_password, nothing changes, no session ends', async () => {
    const before = await hashOf(alice.id);
    const other = (await login(alice.username, alice.password).expect(200)).body;
    const r = await hub
      .http()
      .post('/api/v1/me/password')
      .set(alice.auth)
      .send({ current_password: 'not-the-password', new_password: 'another-long-password' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('auth.wrong_password');
    expect(await hashOf(alice.id)).toBe(before);
    await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: other.refresh_token }).expect(200);
  });

  test.each([
    [{ current_password: 'x', new_password: 'short' }, 'new_password'],
    [{ new_password: 'long-enough-password' }, 'current_password'],
    [{ current_password: 'x', new_password: 12345678 }, 'new_password'],
  ])('bad input %j: 400 with fields naming %s, the hash is unchanged', async (body, field) => {
    const before = await hashOf(alice.id);
    const r = await hub.http().post('/api/v1/me/password').set(alice.auth).send(body).expect(400);
    expect(r.body.code).toBe('request.validation_failed');
    expect(r.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await hashOf(alice.id)).toBe(before);
  });

  test('the same password again is refused (400, fields)', async () => {
    const r = await hub
      .http()
      .post('/api/v1/me/password')
      .set(alice.auth)
      .send({ current_password: alice.password, new_password: alice.password })
      .expect(400);
    expect(r.body.fields[0].field).toBe('new_password');
  });

  test('no token: 401', async () => {
    const r = await hub
      .http()
      .post('/api/v1/me/password')
      .send({ current_password: alice.password, new_password: 'whatever-long-one' });
    expect(r.status).toBe(401);
  });

  test("a change acts on the caller's account only: bob changing his leaves alice's hash and sessions alone", async () => {
    const u = await registerUser(hub);
    const v = await registerUser(hub);
    const before = await hashOf(u.id);
    await hub
      .http()
      .post('/api/v1/me/password')
      .set(v.auth)
      .send({ current_password: v.password, new_password: 'bob-only-password' })
      .expect(200);
    expect(await hashOf(u.id)).toBe(before);
    await login(u.username, u.password).expect(200);
    await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: u.refresh }).expect(200);
  });
});

describe('PATCH /api/v1/me (display name)', () => {
  test('changes the display name, trimmed, audited', async () => {
    const r = await hub.http().patch('/api/v1/me').set(alice.auth).send({ display_name: '  Alice A.  ' }).expect(200);
    expect(r.body.display_name).toBe('Alice A.');
    expect((await hub.http().get('/api/v1/me').set(alice.auth).expect(200)).body.display_name).toBe('Alice A.');
    expect(await audits('user.profile_updated', alice.id)).toBe(1);
  });

  test.each([
    [{ display_name: '' }],
    [{ display_name: '   ' }],
    [{ display_name: 'a\u0007b' }],
    [{}],
    [{ display_name: 'x'.repeat(101) }],
  ])('bad input %j: 400, unchanged', async (body) => {
    const r = await hub.http().patch('/api/v1/me').set(bob.auth).send(body).expect(400);
    expect(r.body.fields[0].field).toBe('display_name');
    expect((await hub.http().get('/api/v1/me').set(bob.auth)).body.display_name).toBe(bob.username);
  });

  test('no token: 401', async () => {
    expect((await hub.http().patch('/api/v1/me').send({ display_name: 'X' })).status).toBe(401);
  });
});

describe('PATCH /api/v1/me/servers/{id} (rename)', () => {
  const nameOf = async (id: string) =>
    (await hub.ds.query('SELECT name FROM servers WHERE id = ?', [id]))[0].name as string;

  test('the owner renames the server; the list shows the new name; audited', async () => {
    const s = await pairServer(hub, alice, { name: 'Old name' });
    const r = await hub
      .http()
      .patch(`/api/v1/me/servers/${s.serverId}`)
      .set(alice.auth)
      .send({ name: ' Living room ' })
      .expect(200);
    expect(r.body).toMatchObject({ serverId: s.serverId, serverName: 'Living room' });
    const list = await hub.http().get('/api/v1/me/servers').set(alice.auth).expect(200);
    expect(list.body.servers.find((x: { serverId: string }) => x.serverId === s.serverId).serverName).toBe(
      'Living room',
    );
    expect(await audits('server.renamed', s.serverId)).toBe(1);
  });

  test.each([
    [{ name: '' }],
    [{ name: '  ' }],
    [{ name: 'x'.repeat(256) }],
    [{ name: 7 }],
    [{}],
    [{ name: 'line\nbreak' }],
  ])('bad input %j: 400, the name is unchanged', async (body) => {
    const s = await pairServer(hub, alice, { name: 'Keep me' });
    const r = await hub.http().patch(`/api/v1/me/servers/${s.serverId}`).set(alice.auth).send(body).expect(400);
    expect(r.body.fields[0].field).toBe('name');
    expect(await nameOf(s.serverId)).toBe('Keep me');
  });

  test('no token: 401, unchanged', async () => {
    const s = await pairServer(hub, alice, { name: 'Mine' });
    expect((await hub.http().patch(`/api/v1/me/servers/${s.serverId}`).send({ name: 'Hijacked' })).status).toBe(401);
    expect(await nameOf(s.serverId)).toBe('Mine');
  });

  test("another user's server: 404 server.not_found (as for an unknown id), unchanged", async () => {
    const s = await pairServer(hub, alice, { name: 'Private' });
    const r = await hub
      .http()
      .patch(`/api/v1/me/servers/${s.serverId}`)
      .set(bob.auth)
      .send({ name: 'Hijacked' })
      .expect(404);
    expect(r.body.code).toBe('server.not_found');
    expect(
      (
        await hub
          .http()
          .patch('/api/v1/me/servers/00000000-0000-4000-8000-000000000000')
          .set(bob.auth)
          .send({ name: 'X' })
      ).status,
    ).toBe(404);
    expect((await hub.http().patch('/api/v1/me/servers/not-a-uuid').set(bob.auth).send({ name: 'X' })).status).toBe(
      404,
    );
    expect(await nameOf(s.serverId)).toBe('Private');
  });
});
