import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { User } from '../src/users/entities/user.entity.js';

let hub: TestHub;
let admin: TestUser;
let plain: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
  plain = await registerUser(hub, 'plain_user');
});
afterAll(async () => {
  await hub.close();
});

const BASE = '/api/v1/admin/users';
const UNKNOWN = '9b2f7c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const users = () => hub.ds.getRepository(User);
const create = (body: object, auth = admin.auth) => hub.http().post(BASE).set(auth).send(body);

describe('access', () => {
  const routes: [string, string][] = [
    ['get', BASE],
    ['post', BASE],
    ['get', `${BASE}/${UNKNOWN}`],
    ['patch', `${BASE}/${UNKNOWN}`],
    ['delete', `${BASE}/${UNKNOWN}`],
  ];
  test.each(routes)(
    '%s %s: no token → 401 auth.required; non-admin → 403 auth.not_admin; nothing changes',
    async (method, path) => {
      const before = await users().count();
      const anon = await (
        hub.http() as unknown as Record<
          string,
          (p: string) => { send: (b: object) => Promise<{ status: number; body: { code: string } }> }
        >
      )
        [method](path)
        .send({});
      expect([anon.status, anon.body.code]).toEqual([401, 'auth.required']);
      const r = await (
        hub.http() as unknown as Record<
          string,
          (p: string) => {
            set: (h: object) => { send: (b: object) => Promise<{ status: number; body: { code: string } }> };
          }
        >
      )
        [method](path)
        .set(plain.auth)
        .send({});
      expect([r.status, r.body.code]).toEqual([403, 'auth.not_admin']);
      expect(await users().count()).toBe(before);
    },
  );
});

describe('create', () => {
  test('201 with the user; is_admin and region honoured; the user can sign in', async () => {
    const r = await create({
      username: 'made_by_admin',
      email: 'Made@Example.test',
      password: 'password-123',
      display_name: 'Made',
      is_admin: true,
      region: 'eu-west',
    }).expect(201);
    expect(r.body).toMatchObject({
      username: 'made_by_admin',
      email: 'made@example.test',
      display_name: 'Made',
      is_admin: true,
      disabled: false,
      region: 'eu-west',
    });
    expect(r.body.password_hash).toBeUndefined();
    const l = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'made_by_admin', password: 'password-123' })
      .expect(200);
    expect(l.body.user.is_admin).toBe(true);
  });

  test('duplicate username / email → 409', async () => {
    const u = await create({
      username: plain.username.toUpperCase(),
      email: 'fresh@example.test',
      password: 'password-123',
    });
    expect([u.status, u.body.code]).toEqual([409, 'user.username_taken']);
    const e = await create({ username: 'fresh_name', email: plain.email, password: 'password-123' });
    expect([e.status, e.body.code]).toEqual([409, 'user.email_taken']);
  });

  test.each([
    ['empty', {}],
    ['wrong types', { username: 'x_y_z', email: 'xyz@example.test', password: 'password-123', is_admin: 'yes' }],
    ['region pattern', { username: 'x_y_z', email: 'xyz@example.test', password: 'password-123', region: 'EU WEST' }],
    ['extra field', { username: 'x_y_z', email: 'xyz@example.test', password: 'password-123', disabled: true }],
    [
      'over-long display name',
      { username: 'x_y_z', email: 'xyz@example.test', password: 'password-123', display_name: 'd'.repeat(101) },
    ],
    ['is_admin null', { username: 'x_y_z', email: 'xyz@example.test', password: 'password-123', is_admin: null }],
  ])('400 on %s, nothing written', async (_n, body) => {
    const before = await users().count();
    const r = await create(body);
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
    expect(await users().count()).toBe(before);
  });

  test('malformed JSON → 400', async () => {
    const r = await hub.http().post(BASE).set(admin.auth).set('content-type', 'application/json').send('{"username":');
    expect([r.status, r.body.code]).toEqual([400, 'request.malformed_json']);
  });
});

describe('get one', () => {
  test('200; unknown or non-UUID id → 404 user.not_found', async () => {
    const r = await hub.http().get(`${BASE}/${plain.id}`).set(admin.auth).expect(200);
    expect(r.body).toMatchObject({ id: plain.id, username: plain.username, is_admin: false });
    for (const id of [UNKNOWN, 'not-a-uuid', '1', `${UNKNOWN}x`, 'x'.repeat(400)]) {
      const n = await hub.http().get(`${BASE}/${id}`).set(admin.auth);
      expect([n.status, n.body.code]).toEqual([404, 'user.not_found']);
    }
  });
});

describe('list', () => {
  let names: string[];
  beforeAll(async () => {
    names = ['list_alpha', 'list_beta', 'list_gamma', 'list_delta', 'listx%pct', 'under_score'];
    for (const n of names) {
      await create({
        username: n.replace('%', ''),
        email: `${n.replace('%', '')}@list.test`,
        password: 'password-123',
        display_name: n === 'listx%pct' ? 'Percent % Person' : `Name ${n.toUpperCase()}`,
      }).expect(201);
    }
  });

  test('paged: page/per_page/total, stable order, beyond the end is empty', async () => {
    const all = (await hub.http().get(BASE).query({ per_page: 200 }).set(admin.auth).expect(200)).body;
    expect(all.total).toBe(await users().count());
    expect(all.items).toHaveLength(all.total);
    expect(all).toMatchObject({ page: 1, per_page: 200 });
    const p2 = (await hub.http().get(BASE).query({ page: 2, per_page: 3 }).set(admin.auth).expect(200)).body;
    expect(p2).toMatchObject({ page: 2, per_page: 3, total: all.total });
    expect(p2.items.map((u: { id: string }) => u.id)).toEqual(all.items.slice(3, 6).map((u: { id: string }) => u.id));
    const far = (await hub.http().get(BASE).query({ page: 999 }).set(admin.auth).expect(200)).body;
    expect(far.items).toEqual([]);
    const def = (await hub.http().get(BASE).set(admin.auth).expect(200)).body;
    expect(def).toMatchObject({ page: 1, per_page: 50 });
    expect(JSON.stringify(def)).not.toMatch(/password/);
  });

  test('search: case-insensitive substring of username, email or display name; LIKE wildcards are literal', async () => {
    const q = async (s: string) =>
      (await hub.http().get(BASE).query({ q: s, per_page: 200 }).set(admin.auth).expect(200)).body;
    expect((await q('LIST_')).items.map((u: { username: string }) => u.username).sort()).toEqual([
      'list_alpha',
      'list_beta',
      'list_delta',
      'list_gamma',
    ]);
    expect((await q('GAMMA')).total).toBe(1);
    expect((await q('beta@LIST.test')).items[0].username).toBe('list_beta');
    expect((await q('name list_d')).items[0].username).toBe('list_delta');
    expect((await q('%')).items.map((u: { username: string }) => u.username)).toEqual(['listxpct']);
    expect((await q('r_s')).items.map((u: { username: string }) => u.username)).toEqual(['under_score']);
    expect((await q('!')).total).toBe(0);
    expect((await q('no-such-thing')).total).toBe(0);
  });

  test.each([
    ['page=0', { page: 0 }],
    ['page=abc', { page: 'abc' }],
    ['per_page=201', { per_page: 201 }],
    ['per_page=-1', { per_page: -1 }],
    ['page=1.5', { page: '1.5' }],
    ['empty page', { page: '' }],
    ['q too long', { q: 'q'.repeat(101) }],
    ['unknown param', { sort: 'name' }],
  ])('400 on %s', async (_n, query) => {
    const r = await hub.http().get(BASE).query(query).set(admin.auth);
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
  });

  test('repeated parameters → 400, not 500', async () => {
    const r = await hub.http().get(`${BASE}?page=1&page=2&q=a&q=b`).set(admin.auth);
    expect(r.status).toBe(400);
  });
});
