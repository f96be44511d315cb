import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';

const ROOT = process.cwd();

/** Env names src/config/config.ts reads: int/bool/str/url(env, 'NAME', …) and env.NAME. */
function namesInConfig(): string[] {
  const src = readFileSync(join(ROOT, 'src/config/config.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of src.matchAll(/\b(?:int|bool|str|url)\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'/g)) names.add(m[1]);
  for (const m of src.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]);
  for (const m of src.matchAll(/\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g)) names.add(m[1]);
  return [...names].sort();
}

/** `NAME=value` and `# NAME=value` lines of .env.example. */
function documented(): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n')) {
    const m = /^#?\s?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) map.set(m[1], m[2]);
  }
  return map;
}

describe('.env.example', () => {
  test('lists every variable read in src/config/config.ts, and nothing else', () => {
    const read = namesInConfig();
    expect(read.length).toBeGreaterThan(20);
    expect(read).toEqual(expect.arrayContaining(['HUB_PORT', 'DB_URL', 'HUB_DATA_DIR', 'HUB_SIGNUPS_ENABLED']));
    expect([...documented().keys()].sort()).toEqual(read);
  });

  test('the documented values are the real defaults', () => {
    const env = Object.fromEntries(documented());
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });
});

describe('node dist/main.js with a bad environment', () => {
  const main = join(ROOT, 'dist/main.js');
  beforeAll(() => {
    if (!existsSync(main)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  });

  test.each([
    ['HUB_PORT', 'eighty'],
    ['DB_URL', 'postgres://u:pw@h/db'],
    ['HUB_JWT_ACCESS_TTL', '5'],
    ['HUB_PUBLIC_URL', 'hub.example.com'],
  ])('%s=%s → one clear line naming it, exit code 2, nothing started', (name, value) => {
    const cwd = mkdtempSync(join(tmpdir(), 'phlix-cfg-'));
    try {
      const r = spawnSync(process.execPath, [main], {
        cwd,
        timeout: 20000,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HUB_DATA_DIR: join(cwd, 'data'), HUB_PORT: '0', [name]: value },
      });
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^phlix-hub: configuration error: ${name}\\b`));
      expect(r.stdout).toBe('');
      expect(existsSync(join(cwd, 'data'))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('ormconfig.ts', () => {
  test('exports the hub DataSource built from the environment (not initialised)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phlix-orm-'));
    const saved = { ...process.env };
    try {
      process.env.HUB_DATA_DIR = dir;
      delete process.env.DB_URL;
      const { default: ds } = await import('../ormconfig.js');
      const { ALL_MIGRATIONS, ALL_ENTITIES } = await import('../src/database/registry.js');
      expect(ds.isInitialized).toBe(false);
      expect(ds.options).toMatchObject({
        type: 'better-sqlite3',
        database: join(dir, 'hub.sqlite'),
        synchronize: false,
      });
      expect(ds.options.migrations).toEqual(ALL_MIGRATIONS);
      expect(ds.options.entities).toEqual(ALL_ENTITIES);
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
