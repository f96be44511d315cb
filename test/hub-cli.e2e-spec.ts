/**
 * The built CLI (dist/cli.js, package bin `phlix-hub`) run as a child process against a test
 * hub's storage (its data dir, and its database on MariaDB). `npm test` builds first.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestHub, TestHub } from './helpers/hub.js';
import { createTestDatabase, dropTestDatabase, testDbKind } from './helpers/db.js';
import { ALL_MIGRATIONS } from '../src/database/registry.js';

const CLI = join(process.cwd(), 'dist/cli.js');
const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
async function cli(args: string[], env: Record<string, string>): Promise<Result> {
  try {
    const r = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HUB_LOG_LEVEL: 'silent', ...env },
      timeout: 30000,
      cwd: tmpdir(),
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

let hub: TestHub;
let env: Record<string, string>;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  hub = await createTestHub({ now: Date.now() });
  env = { HUB_DATA_DIR: hub.dataDir, HUB_ID: hub.cfg.hub.id, ...(hub.dbUrl ? { DB_URL: hub.dbUrl } : {}) };
});
afterAll(async () => {
  await hub?.close();
});

test('dist/cli.js starts with a node shebang', () => {
  expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
});

describe('user:create', () => {
  test('creates a user who can sign in through the API on the same database', async () => {
    const r = await cli(
      ['user:create', '--username', 'cli_user', '--email', 'CLI@Example.test', '--password', 'cli-password-1'],
      env,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ username: 'cli_user', email: 'cli@example.test', is_admin: false });
    expect(r.stdout).not.toContain('cli-password-1');
    const l = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'cli_user', password: 'cli-password-1' })
      .expect(200);
    expect(l.body.user.id).toBe(out.id);
  });

  test('--admin creates an administrator', async () => {
    const r = await cli(
      [
        'user:create',
        '--username',
        'cli_admin',
        '--email',
        'cli_admin@example.test',
        '--password',
        'cli-password-2',
        '--admin',
      ],
      env,
    );
    expect(r.code).toBe(0);
    const l = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'cli_admin', password: 'cli-password-2' })
      .expect(200);
    await hub.http().get('/api/v1/admin/users').set('Authorization', `Bearer ${l.body.access_token}`).expect(200);
  });

  test('bad arguments → non-zero exit with one clear line; nothing is written', async () => {
    const cases: [string[], number, RegExp][] = [
      [['user:create', '--email', 'a@example.test', '--password', 'password-1'], 2, /--username is required/],
      [
        ['user:create', '--username', 'abc', '--email', 'nope', '--password', 'password-1'],
        2,
        /--email "nope" is not an email address/,
      ],
      [
        ['user:create', '--username', 'abc', '--email', 'a@example.test', '--password', 'short'],
        2,
        /--password must be 8/,
      ],
      [
        ['user:create', '--username', 'CLI_USER', '--email', 'x@example.test', '--password', 'password-1'],
        1,
        /username is taken/,
      ],
      [['no:such-command'], 2, /unknown command 'no:such-command'/],
    ];
    const before = await hub.ds.query('SELECT COUNT(*) AS n FROM users');
    const results = await Promise.all(cases.map(([args]) => cli(args, env)));
    results.forEach((r, i) => {
      const [args, code, message] = cases[i];
      expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({
        args,
        code,
        stderr: expect.stringMatching(message),
        stdout: '',
      });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
    expect(await hub.ds.query('SELECT COUNT(*) AS n FROM users')).toEqual(before);
  });

  test('a bad environment → exit 2 naming the variable', async () => {
    const r = await cli(['user:create', '--username', 'abc', '--email', 'a@example.test', '--password', 'password-1'], {
      ...env,
      HUB_JWT_ACCESS_TTL: 'forever',
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^phlix-hub: configuration error: HUB_JWT_ACCESS_TTL must be an integer/);
  });
});

describe('keys:rotate', () => {
  test('prints the new kid and the published ones; the old key keeps verifying; file stays 0600', async () => {
    const before = (await hub.http().get('/.well-known/jwks.json').expect(200)).body.keys.map(
      (k: { kid: string }) => k.kid,
    );
    const l = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'cli_user', password: 'cli-password-1' })
      .expect(200);
    const r = await cli(['keys:rotate'], env);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(typeof out.kid).toBe('string');
    expect(before).not.toContain(out.kid);
    expect(out.published[0]).toBe(out.kid);
    expect(out.published).toEqual(expect.arrayContaining(before));
    const file = join(hub.dataDir, 'keys', 'hub-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).keys.map((k: { kid: string }) => k.kid)).toContain(out.kid);
    // the running hub still accepts tokens signed with the previous key
    await hub.http().get('/api/v1/me').set('Authorization', `Bearer ${l.body.access_token}`).expect(200);
  });
});

describe('migrate', () => {
  test('applies every migration to an empty database, then has nothing left to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phlix-cli-migrate-'));
    const dbName = testDbKind() === 'mysql' ? `phlix_t_cli_${Date.now().toString(36)}` : null;
    try {
      const e: Record<string, string> = {
        HUB_DATA_DIR: dir,
        DB_RUN_MIGRATIONS: 'false',
        ...(dbName ? { DB_URL: await createTestDatabase(dbName) } : {}),
      };
      const first = await cli(['migrate'], e);
      expect(first.code).toBe(0);
      const a = JSON.parse(first.stdout);
      expect(a).toMatchObject({ pending: 0, total: ALL_MIGRATIONS.length });
      expect(a.applied).toHaveLength(ALL_MIGRATIONS.length);
      const second = await cli(['migrate'], e);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ applied: [], pending: 0 });
      if (!dbName) expect(existsSync(join(dir, 'hub.sqlite'))).toBe(true);
    } finally {
      if (dbName) await dropTestDatabase(dbName);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
