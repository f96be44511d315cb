import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { seedServer, share } from './helpers/sharing-fixtures.js';
import { UserTransferService } from '../src/federation/transfer/user-transfer.service.js';
import { ShareTransferService } from '../src/federation/transfer/share-transfer.service.js';
import { ServerExportService } from '../src/federation/transfer/server-export.service.js';
import { MAX_IMPORT_BYTES, TransferError } from '../src/federation/transfer/export-format.js';
import { UsersService } from '../src/users/users.service.js';
import { User } from '../src/users/entities/user.entity.js';
import { Server } from '../src/servers/entities/server.entity.js';
import { LibraryShare } from '../src/sharing/entities/library-share.entity.js';

/** Migration in-process: export from the old hub, import into a new, empty one (services behind the CLI). */
let OLD: TestHub;
let NEW: TestHub;
let admin: TestUser;
let eu1: TestUser;
let eu2: TestUser;
let us1: TestUser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phlix-migr-'));
  OLD = await createTestHub({ env: { HUB_ID: 'hub-old' } });
  NEW = await createTestHub({ env: { HUB_ID: 'eu-west' } });
  admin = await registerAdmin(OLD);
  [eu1, eu2, us1] = [await registerUser(OLD), await registerUser(OLD), await registerUser(OLD)];
  for (const [u, region] of [
    [eu1, 'eu'],
    [eu2, 'eu'],
    [us1, 'us'],
  ] as const) {
    await OLD.http().patch(`/api/v1/admin/users/${u.id}`).set(admin.auth).send({ region }).expect(200);
  }
});
afterAll(async () => {
  await OLD?.close();
  await NEW?.close();
  rmSync(dir, { recursive: true, force: true });
});

const usersIn = (h: TestHub) => h.ds.getRepository(User).count();
const exportUsers = () => OLD.get(UserTransferService).exportAll();
const importUsers = (doc: unknown, opts: Partial<{ hub: string; filterRegion: string; dryRun: boolean }> = {}) =>
  NEW.get(UserTransferService).import(doc, { hub: 'eu-west', ...opts });

test('user export holds what a new hub needs: argon2id hashes, regions, flags; no secrets beyond the hash', async () => {
  const doc = await exportUsers();
  expect(doc).toMatchObject({
    format: 'phlix-hub-export',
    version: 1,
    kind: 'users',
    source_hub_id: 'hub-old',
    count: 4,
  });
  const e = doc.items.find((u) => u.id === eu1.id)!;
  expect(e).toMatchObject({
    username: eu1.username,
    email: eu1.email,
    region: 'eu',
    is_admin: false,
    disabled: false,
    linked_hub_id: null,
  });
  expect(e.password_hash).toMatch(/^\$argon2id\$/);
  expect(doc.items.find((u) => u.id === admin.id)!.is_admin).toBe(true);
});

test('import refuses a --hub that is not this hub, and bad region filters; nothing written', async () => {
  const doc = await exportUsers();
  await expect(importUsers(doc, { hub: 'us-east' })).rejects.toThrow(/not this hub/);
  await expect(importUsers(doc, { filterRegion: 'EU WEST' })).rejects.toThrow(TransferError);
  expect(await usersIn(NEW)).toBe(0);
});

test('dry run reports without writing', async () => {
  const r = await importUsers(await exportUsers(), { filterRegion: 'eu', dryRun: true });
  expect(r).toMatchObject({ dry_run: true, total: 4, created: 2, skipped: 2, rejected: 0 });
  expect(await usersIn(NEW)).toBe(0);
});

test('--filter-region eu imports only EU users; re-running adds nothing; old passwords work on the new hub', async () => {
  const doc = await exportUsers();
  const r = await importUsers(doc, { filterRegion: 'eu' });
  expect(r).toMatchObject({ dry_run: false, total: 4, created: 2, skipped: 2, rejected: 0 });
  expect(r.details).toEqual(
    expect.arrayContaining([{ record: us1.username, outcome: 'skipped', reason: 'region us is not eu' }]),
  );
  const again = await importUsers(doc, { filterRegion: 'eu' });
  expect(again).toMatchObject({ created: 0, skipped: 4, rejected: 0 });
  expect(await usersIn(NEW)).toBe(2);
  const row = await NEW.ds.getRepository(User).findOneByOrFail({ id: eu1.id });
  expect(row).toMatchObject({
    username: eu1.username,
    email: eu1.email,
    region: 'eu',
    isAdmin: false,
    linkedHubId: null,
  });
  const login = await NEW.http()
    .post('/api/v1/auth/login')
    .send({ username: eu1.username, password: eu1.password })
    .expect(200);
  expect(login.body.user).toMatchObject({ id: eu1.id, region: 'eu' });
  expect(
    (await NEW.http().post('/api/v1/auth/login').send({ username: eu1.username, password: 'wrong password' })).status,
  ).toBe(401);
  expect(
    (await NEW.http().post('/api/v1/auth/login').send({ username: us1.username, password: us1.password })).status,
  ).toBe(401);
});

test('conflicts with accounts already on the new hub are rejected with reasons; the rest is imported', async () => {
  const local = await NEW.get(UsersService).create({
    username: us1.username.toUpperCase(),
    email: 'someone@else.test',
    password: 'another password',
  });
  const doc = await exportUsers();
  const r = await importUsers(doc);
  expect(r).toMatchObject({ created: 1, skipped: 2, rejected: 1 });
  expect(r.details).toEqual(
    expect.arrayContaining([
      { record: us1.username, outcome: 'rejected', reason: 'username is taken on this hub by another account' },
    ]),
  );
  expect((await NEW.ds.getRepository(User).findOneByOrFail({ id: local.id })).email).toBe('someone@else.test');
  expect(await NEW.ds.getRepository(User).exists({ where: { id: us1.id } })).toBe(false);
  expect((await NEW.ds.getRepository(User).findOneByOrFail({ id: admin.id })).isAdmin).toBe(true);
});

describe('invalid files: a clear error and nothing written', () => {
  const bad = async (doc: unknown, pattern: RegExp) => {
    const before = await usersIn(NEW);
    await expect(importUsers(doc)).rejects.toThrow(pattern);
    expect(await usersIn(NEW)).toBe(before);
  };
  const fresh = (over: Record<string, unknown>) => ({
    id: '6d1f7f6e-8a3c-4c1e-9d57-2f9a1c0b7e11',
    username: 'newbie',
    email: 'newbie@example.test',
    password_hash: null,
    display_name: 'Newbie',
    is_admin: false,
    disabled: false,
    region: 'eu',
    linked_hub_id: null,
    remote_user_id: null,
    created_at: '2025-01-01T00:00:00.000Z',
    ...over,
  });
  const file = (items: unknown[], over: Record<string, unknown> = {}) => ({
    format: 'phlix-hub-export',
    version: 1,
    kind: 'users',
    source_hub_id: 'x',
    exported_at: 'x',
    count: items.length,
    items,
    ...over,
  });

  test('not an export, wrong kind or version, truncated', async () => {
    await bad([1, 2], /not a Phlix Hub export/);
    await bad({ format: 'other' }, /not a Phlix Hub export/);
    await bad(file([], { kind: 'shares' }), /holds "shares", not users/);
    await bad(file([], { version: 2 }), /unsupported export version/);
    await bad(file([fresh({})], { count: 5 }), /truncated or edited/);
    await bad(file([]).items, /expected a JSON object/);
  });

  test('missing or malformed fields (every problem listed), even when other records are fine', async () => {
    const { username: _u, ...noName } = fresh({});
    const err = await importUsers(
      file([
        fresh({ id: '7d1f7f6e-8a3c-4c1e-9d57-2f9a1c0b7e12', username: 'fine_one', email: 'fine@example.test' }),
        noName,
        fresh({ id: 'x', email: 'nope', password_hash: '$2y$10$bcrypt', region: 'EU', is_admin: 'yes' }),
        'str',
      ]),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(TransferError);
    for (const m of [
      'users[1].username: missing',
      'users[2].id: is not a UUID',
      'users[2].email: is not an email address',
      'users[2].password_hash: is not an argon2id hash',
      'users[2].region',
      'users[2].is_admin',
      'users[3]: must be an object',
    ]) {
      expect(err.message).toContain(m);
    }
    expect(await NEW.ds.getRepository(User).exists({ where: { username: 'fine_one' } })).toBe(false);
  });

  test('duplicate users in the file', async () => {
    await bad(file([fresh({}), fresh({ username: 'other', email: 'o@example.test' })]), /duplicate id/);
    await bad(
      file([
        fresh({}),
        fresh({ id: '7d1f7f6e-8a3c-4c1e-9d57-2f9a1c0b7e12', username: 'NEWBIE', email: 'o@example.test' }),
      ]),
      /duplicate username "newbie"/,
    );
    await bad(
      file([
        fresh({}),
        fresh({ id: '7d1f7f6e-8a3c-4c1e-9d57-2f9a1c0b7e12', username: 'other', email: 'NEWBIE@example.test' }),
      ]),
      /duplicate email/,
    );
  });

  test('files that are not JSON or are huge are refused before parsing', async () => {
    const svc = NEW.get(UserTransferService);
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{"format": "phlix-hub-export", oops');
    await expect(svc.importFile(notJson, { hub: 'eu-west' })).rejects.toThrow(/is not valid JSON/);
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_IMPORT_BYTES + 1);
    await expect(svc.importFile(huge, { hub: 'eu-west' })).rejects.toThrow(/is too large/);
    await expect(svc.importFile(join(dir, 'missing.json'), { hub: 'eu-west' })).rejects.toThrow(/cannot read .*ENOENT/);
    const tooMany = file(Array.from({ length: 100_001 }, () => ({})));
    await bad(tooMany, /limit is 100000/);
  });
});

describe('servers and shares', () => {
  let srv: Awaited<ReturnType<typeof seedServer>>;
  let shareIds: string[];

  beforeAll(async () => {
    srv = await seedServer(OLD, eu1.id, ['Movies', 'Shows']);
    const a = await share(OLD, eu1, {
      server_id: srv.id,
      library_id: srv.libraries[0].libraryId,
      username: eu2.username,
      permission: 'play',
    });
    const b = await share(OLD, eu1, {
      server_id: srv.id,
      library_id: null,
      username: us1.username,
      permission: 'view',
    });
    const c = await share(OLD, eu1, {
      server_id: srv.id,
      library_id: srv.libraries[1].libraryId,
      username: eu2.username,
      permission: 'view',
    });
    await OLD.http().delete(`/api/v1/me/shares/${c.id}`).set(eu1.auth).expect(204);
    shareIds = [a.id, b.id];
  });

  test('server export lists claimed servers with owner and libraries (not importable)', async () => {
    const doc = await OLD.get(ServerExportService).exportAll();
    expect(doc.kind).toBe('servers');
    const s = doc.items.find((x) => x.id === srv.id)!;
    expect(s).toMatchObject({
      name: srv.name,
      owner_id: eu1.id,
      owner_username: eu1.username,
      libraries: expect.arrayContaining([{ library_id: srv.libraries[0].libraryId, library_name: 'Movies' }]),
    });
    expect(JSON.stringify(doc)).not.toContain('enrollment');
  });

  test('share export holds live shares only; import waits for the re-claim, then is idempotent', async () => {
    const doc = await OLD.get(ShareTransferService).exportAll();
    expect(doc.items.map((s) => s.id).sort()).toEqual([...shareIds].sort());
    const svc = NEW.get(ShareTransferService);
    await expect(svc.import(doc, { hub: 'hub-old' })).rejects.toThrow(/not this hub/);
    const first = await svc.import(doc, { hub: 'eu-west' });
    expect(first).toMatchObject({ created: 0, rejected: 2 });
    expect(first.details.map((d) => d.reason).join('\n')).toMatch(/not claimed on this hub by .* yet/);
    // the owner re-claims the same server (same key) on the new hub
    const thumb = (await OLD.ds.getRepository(Server).findOneByOrFail({ id: srv.id })).keyThumbprint;
    const re = await seedServer(NEW, eu1.id, ['Movies', 'Shows']);
    await NEW.ds.getRepository(Server).update({ id: re.id }, { keyThumbprint: thumb });
    await NEW.ds.query('UPDATE server_libraries SET library_id = ? WHERE server_id = ? AND library_name = ?', [
      srv.libraries[0].libraryId,
      re.id,
      'Movies',
    ]);
    expect(await svc.import(doc, { hub: 'eu-west', dryRun: true })).toMatchObject({
      dry_run: true,
      created: 1,
      rejected: 1,
    });
    expect(await NEW.ds.getRepository(LibraryShare).count()).toBe(0);
    // us1 was not imported (username conflict above): shares cannot cross hubs
    const second = await svc.import(doc, { hub: 'eu-west' });
    expect(second).toMatchObject({ created: 1, skipped: 0, rejected: 1 });
    expect(second.details).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        reason: 'the recipient is not on this hub (shares cannot cross hubs)',
      }),
    ]);
    expect(await svc.import(doc, { hub: 'eu-west' })).toMatchObject({ created: 0, skipped: 1, rejected: 1 });
    // the grantee signs in on the new hub with the old password and sees the share on the re-claimed server
    const login = await NEW.http()
      .post('/api/v1/auth/login')
      .send({ username: eu2.username, password: eu2.password })
      .expect(200);
    const mine = await NEW.http()
      .get('/api/v1/me/shares')
      .set({ Authorization: `Bearer ${login.body.access_token}` })
      .expect(200);
    expect(mine.body.incoming).toHaveLength(1);
    expect(mine.body.incoming[0]).toMatchObject({ server_id: re.id, library_name: 'Movies', permission: 'play' });
  });

  test('invalid share files are refused whole', async () => {
    const doc = await OLD.get(ShareTransferService).exportAll();
    const broken = {
      ...doc,
      items: [...doc.items, { ...doc.items[0] }, { ...doc.items[0], id: 'x', permission: 'admin' }],
      count: doc.items.length + 2,
    };
    const before = await NEW.ds.getRepository(LibraryShare).count();
    await expect(NEW.get(ShareTransferService).import(broken, { hub: 'eu-west' })).rejects.toThrow(
      /shares\[3\]\.id: is not a UUID[\s\S]*permission/,
    );
    const dup = { ...doc, items: [...doc.items, { ...doc.items[0] }], count: doc.items.length + 1 };
    await expect(NEW.get(ShareTransferService).import(dup, { hub: 'eu-west' })).rejects.toThrow(/duplicate id/);
    expect(await NEW.ds.getRepository(LibraryShare).count()).toBe(before);
  });
});
