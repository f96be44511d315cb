import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { User } from '../src/users/entities/user.entity.js';
import { TrustedHub } from '../src/federation/entities/trusted-hub.entity.js';

/** The built CLI (`node dist/cli.js`) as a child process against the databases of test hubs. Run `npm run build` first. */
const CLI = join(process.cwd(), 'dist', 'cli.js');
let OLD: TestHub;
let NEW: TestHub;
let eu: TestUser;
let us: TestUser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'phlix-cli-'));
  OLD = await createTestHub({ env: { HUB_ID: 'hub-old' } });
  NEW = await createTestHub({ env: { HUB_ID: 'eu-west' } });
  const admin = await registerAdmin(OLD);
  eu = await registerUser(OLD);
  us = await registerUser(OLD);
  await OLD.http().patch(`/api/v1/admin/users/${eu.id}`).set(admin.auth).send({ region: 'eu' }).expect(200);
  await OLD.http().patch(`/api/v1/admin/users/${us.id}`).set(admin.auth).send({ region: 'us' }).expect(200);
});
afterAll(async () => {
  await OLD?.close();
  await NEW?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(hub: TestHub, ...args: string[]) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HUB_DATA_DIR: hub.dataDir,
    HUB_ID: hub.cfg.hub.id,
    HUB_LOG_LEVEL: 'silent',
  };
  if (hub.cfg.db.url) env.DB_URL = hub.cfg.db.url;
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const usersIn = (h: TestHub) => h.ds.getRepository(User).count();

test('user:export → user:import (region filter, dry run, wrong hub, idempotent) → the old password works on the new hub', async () => {
  const file = join(dir, 'users-export.json');
  const ex = cli(OLD, 'user:export', '--all', '--format', 'json', '--out', file);
  expect(ex.code).toBe(0);
  expect(JSON.parse(ex.stdout)).toMatchObject({ written: file, count: 3 });
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, 'utf8')).toContain('$argon2id$');

  const wrong = cli(NEW, 'user:import', '--hub', 'us-east', '--file', file);
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toMatch(/"us-east" is not this hub .*"eu-west"/);
  const dry = cli(NEW, 'user:import', '--hub', 'eu-west', '--file', file, '--filter-region', 'eu', '--dry-run');
  expect(dry.code).toBe(0);
  expect(JSON.parse(dry.stdout)).toMatchObject({ dry_run: true, created: 1, skipped: 2, rejected: 0 });
  expect(await usersIn(NEW)).toBe(0);

  const run = cli(NEW, 'user:import', '--hub', 'eu-west', '--file', file, '--filter-region', 'eu');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ dry_run: false, created: 1, skipped: 2, rejected: 0 });
  expect(run.stderr).toContain('users: 1 created, 2 skipped, 0 rejected');
  expect(run.stderr).toContain('region us is not eu');
  const again = cli(NEW, 'user:import', '--hub', 'eu-west', '--file', file, '--filter-region', 'eu');
  expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, skipped: 3 });
  expect(await usersIn(NEW)).toBe(1);

  const login = await NEW.http()
    .post('/api/v1/auth/login')
    .send({ username: eu.username, password: eu.password })
    .expect(200);
  expect(login.body.user).toMatchObject({ id: eu.id, region: 'eu' });
}, 120_000);

test('user:import refuses bad files with a clear error and writes nothing; required options', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, 'this is not json');
  const before = await usersIn(NEW);
  const r = cli(NEW, 'user:import', '--hub', 'eu-west', '--file', bad);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/is not valid JSON/);
  const dup = join(dir, 'dup.json');
  const doc = JSON.parse(readFileSync(join(dir, 'users-export.json'), 'utf8'));
  writeFileSync(dup, JSON.stringify({ ...doc, items: [...doc.items, doc.items[0]], count: doc.items.length + 1 }));
  const d = cli(NEW, 'user:import', '--hub', 'eu-west', '--file', dup);
  expect(d.code).toBe(1);
  expect(d.stderr).toMatch(/duplicate id/);
  expect(await usersIn(NEW)).toBe(before);
  expect(cli(NEW, 'user:import', '--file', bad).code).toBe(2);
  expect(cli(NEW, 'user:export', '--format', 'json').code).toBe(2);
});

test('server:export and share:export print JSON exports', async () => {
  for (const cmd of ['server:export', 'share:export']) {
    const r = cli(OLD, cmd, '--all', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      format: 'phlix-hub-export',
      kind: cmd.split(':')[0] + 's',
      source_hub_id: 'hub-old',
      items: [],
    });
  }
  expect(cli(OLD, 'share:export', '--all', '--format', 'csv').code).toBe(2);
});

test('peer:trust adds a peer from a JWKS file, updates it on a re-run, refuses private keys', async () => {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwksFile = join(dir, 'hub-a.jwks.json');
  writeFileSync(
    jwksFile,
    JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'a1', alg: 'EdDSA', use: 'sig' }] }),
  );
  const add = cli(
    NEW,
    'peer:trust',
    '--hub-id',
    'hub-a',
    '--name',
    'Hub A',
    '--url',
    'https://hub-a.example',
    '--jwks-file',
    jwksFile,
  );
  expect(add.code).toBe(0);
  expect(JSON.parse(add.stdout)).toMatchObject({
    action: 'created',
    peer: { hub_id: 'hub-a', key_ids: ['a1'], blocked: false },
  });
  const again = cli(
    NEW,
    'peer:trust',
    '--hub-id',
    'hub-a',
    '--name',
    'Hub A (renamed)',
    '--url',
    'https://hub-a.example',
    '--jwks-file',
    jwksFile,
  );
  expect(JSON.parse(again.stdout)).toMatchObject({ action: 'updated', peer: { name: 'Hub A (renamed)' } });
  expect(await NEW.ds.getRepository(TrustedHub).count()).toBe(1);

  const privFile = join(dir, 'priv.json');
  writeFileSync(privFile, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'p' }] }));
  const bad = cli(
    NEW,
    'peer:trust',
    '--hub-id',
    'hub-p',
    '--name',
    'P',
    '--url',
    'https://p.example',
    '--jwks-file',
    privFile,
  );
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/private key material.*federation\.invalid_jwks/);
  expect(
    cli(
      NEW,
      'peer:trust',
      '--hub-id',
      'hub-q',
      '--name',
      'Q',
      '--url',
      'https://q.example',
      '--jwks-file',
      join(dir, 'none.json'),
    ).stderr,
  ).toMatch(/cannot read .*ENOENT/);
  expect(cli(NEW, 'peer:trust', '--name', 'Q').code).toBe(2);
  expect(await NEW.ds.getRepository(TrustedHub).count()).toBe(1);
});
