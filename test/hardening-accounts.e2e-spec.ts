import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { seedServer, share } from './helpers/sharing-fixtures.js';
import { User } from '../src/users/entities/user.entity.js';
import { Server } from '../src/servers/entities/server.entity.js';
import { LibraryShare } from '../src/sharing/entities/library-share.entity.js';
import { testDbKind } from './helpers/db.js';

let hub: TestHub;
let admin: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
});
afterAll(async () => {
  await hub.close();
});

const BASE = '/api/v1/admin/users';
const patch = (id: string, body: object, auth = admin.auth) => hub.http().patch(`${BASE}/${id}`).set(auth).send(body);
const del = (id: string, auth = admin.auth) => hub.http().delete(`${BASE}/${id}`).set(auth);

describe('a refused admin deletion changes nothing', () => {
  test('two admins deleting each other at once: the refused side keeps its servers and shares', async () => {
    const viewer = await registerUser(hub);
    for (let round = 0; round < 4; round++) {
      const a = await registerUser(hub);
      const b = await registerUser(hub);
      for (const u of [a, b]) await patch(u.id, { is_admin: true }).expect(200);
      const srv = new Map<string, string>();
      const shareOf = new Map<string, string>();
      for (const u of [a, b]) {
        const s = await seedServer(hub, u.id, ['Movies']);
        srv.set(u.id, s.id);
        shareOf.set(
          u.id,
          (await share(hub, u, { server_id: s.id, library_id: null, username: viewer.username, permission: 'view' }))
            .id,
        );
      }
      // a and b are the only two active admins
      await hub.ds.getRepository(User).update({ id: admin.id }, { isAdmin: false });
      try {
        const [ra, rb] = await Promise.all([del(b.id, a.auth), del(a.id, b.auth)]);
        const ok = [ra, rb].filter((r) => r.status === 204 || r.status === 200);
        expect(ok).toHaveLength(1);
        const refused = [ra, rb].find((r) => r.status >= 400)!;
        expect([
          'user.last_admin',
          'auth.not_admin',
          'auth.invalid_token',
          'auth.user_disabled',
          'user.not_found',
        ]).toContain(refused.body.code);
        const survivor = ra === ok[0] ? a : b;
        const gone = survivor === a ? b : a;
        // the survivor was not deleted, so nothing of theirs moved
        expect(await hub.ds.getRepository(User).exists({ where: { id: survivor.id } })).toBe(true);
        expect((await hub.ds.getRepository(Server).findOneByOrFail({ id: srv.get(survivor.id)! })).ownerId).toBe(
          survivor.id,
        );
        const kept = await hub.ds.getRepository(LibraryShare).findOneBy({ id: shareOf.get(survivor.id)! });
        expect(kept).toMatchObject({ revokedAt: null, ownerId: survivor.id });
        // the deleted one's server was released and its share deleted
        expect((await hub.ds.getRepository(Server).findOneByOrFail({ id: srv.get(gone.id)! })).ownerId).toBeNull();
        expect(await hub.ds.getRepository(LibraryShare).findOneBy({ id: shareOf.get(gone.id)! })).toBeNull();
        await hub.ds.getRepository(User).update({ id: survivor.id }, { isAdmin: false });
      } finally {
        await hub.ds.getRepository(User).update({ id: admin.id }, { isAdmin: true });
      }
    }
  });
});

describe('display names', () => {
  test.each([
    ['newline', 'Alice\nAdmin'],
    ['NUL', 'A\u0000B'],
    ['escape', '\u001b[31mred'],
    ['DEL', 'x\u007f'],
    ['C1', 'x\u0085y'],
    ['bidi override', 'abc\u202Egnp.exe'],
    ['bidi isolate', 'a\u2066b'],
    ['line separator', 'a\u2028b'],
    ['tab', 'a\tb'],
  ])('%s → 400 on sign-up and on admin edit; nothing written', async (_n, name) => {
    const username = `dn_${Math.random().toString(36).slice(2, 8)}`;
    const r = await hub
      .http()
      .post('/api/v1/auth/register')
      .send({ username, email: `${username}@example.test`, password: 'correct horse battery', display_name: name });
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
    expect(await hub.ds.getRepository(User).exists({ where: { usernameLower: username } })).toBe(false);
    const u = await registerUser(hub);
    const before = (await hub.ds.getRepository(User).findOneByOrFail({ id: u.id })).displayName;
    const p = await patch(u.id, { display_name: name });
    expect([p.status, p.body.code]).toEqual([400, 'request.validation_failed']);
    expect((await hub.ds.getRepository(User).findOneByOrFail({ id: u.id })).displayName).toBe(before);
    const c = await hub
      .http()
      .post(BASE)
      .set(admin.auth)
      .send({
        username: `${username}x`,
        email: `${username}x@example.test`,
        password: 'correct horse battery',
        display_name: name,
      });
    expect(c.status).toBe(400);
  });

  test('ordinary names with accents, emoji and inner spaces are fine', async () => {
    const u = await registerUser(hub);
    const r = await patch(u.id, { display_name: 'Zoë O\u2019Brien 🎬 — 北京' }).expect(200);
    expect(r.body.display_name).toBe('Zoë O\u2019Brien 🎬 — 北京');
  });
});

(testDbKind() === 'sqlite' ? describe : describe.skip)('the SQLite database file', () => {
  test('hub.sqlite and its -wal/-shm files are readable by the owner only (0600)', async () => {
    await hub.http().get('/api/v1/me').set(admin.auth).expect(200);
    for (const f of ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm']) {
      expect([f, (statSync(join(hub.dataDir, f)).mode & 0o777).toString(8)]).toEqual([f, '600']);
    }
  });
});
