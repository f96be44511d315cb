import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layering the hub keeps (docs/architecture.md): common/ and config/ import no feature; the
 * relay codec and the agent carry no Nest; relay/ never reaches into admin/ or federation/; only
 * config and database are global modules. Checked on the import statements of src/.
 */
const SRC = resolve(process.cwd(), 'src');
const FEATURES = [
  'auth',
  'users',
  'servers',
  'sharing',
  'relay',
  'federation',
  'admin',
  'audit',
  'metrics',
  'health',
  'hub-info',
  'cli',
  'agent',
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** Static `import … from`, `export … from`, side-effect imports and `import('…')`. */
export function importsOf(text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[\s\S]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    out.push({ spec: m[2], typeOnly: !!m[1] });
  }
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

const all = files(SRC).map((f) => ({
  file: f,
  rel: relative(SRC, f).split(sep).join('/'),
  imports: importsOf(readFileSync(f, 'utf8')),
}));
const byPath = new Map(all.map((f) => [f.file, f]));

/** the src/-relative path an import resolves to, or null for a package */
function target(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return relative(SRC, resolve(dirname(from), spec.replace(/\.js$/, '.ts')))
    .split(sep)
    .join('/');
}

const top = (rel: string) => rel.split('/')[0];

/**
 * Folders (and top-level files) whose SQL must live in `*.repository.ts` files (docs/architecture.md,
 * "Where SQL lives"); a feature joins the list once its queries have moved.
 */
const SQL_CHECKED = [
  'users',
  'auth',
  'servers',
  'sharing',
  'relay',
  'web',
  'agent',
  'audit',
  'federation',
  'admin',
  'metrics',
  'common',
  'health',
  'hub-info',
  'cli',
  'main.ts',
  'bootstrap.ts',
];
/** raw queries, query builders, ORM repositories and entity managers */
const ORM_ACCESS = /\.query\(|createQueryBuilder|getRepository|InjectRepository|\.manager\b/g;

function violations(
  filesOf: (rel: string) => boolean,
  refused: (targetRel: string | null, spec: string) => boolean,
): string[] {
  const bad: string[] = [];
  for (const f of all) {
    if (!filesOf(f.rel)) continue;
    for (const i of f.imports) if (refused(target(f.file, i.spec), i.spec)) bad.push(`${f.rel} → ${i.spec}`);
  }
  return bad;
}

describe('architecture', () => {
  test('the import scan sees the code (sanity)', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(
      importsOf(
        "import type { A } from './a.js';\nimport { B,\n C } from '../b.js';\nexport * from './c.js';\nconst d = await import('./d.js');",
      ).map((i) => i.spec),
    ).toEqual(['./a.js', '../b.js', './c.js', './d.js']);
  });

  test('common/ and config/ import no feature', () => {
    const inCore = (rel: string) => top(rel) === 'common' || top(rel) === 'config';
    expect(violations(inCore, (t) => t !== null && FEATURES.includes(top(t)))).toEqual([]);
  });

  test('the relay codec and the agent do not import Nest', () => {
    const nestFree = (rel: string) => rel.startsWith('relay/codec/') || top(rel) === 'agent';
    expect(violations(nestFree, (_t, spec) => spec.startsWith('@nestjs/'))).toEqual([]);
  });

  test('the relay codec does not load Nest through anything it imports either', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string, via: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      const f = byPath.get(file);
      if (!f) return;
      for (const i of f.imports) {
        if (i.typeOnly) continue;
        if (i.spec.startsWith('@nestjs/')) bad.push([...via, f.rel, i.spec].join(' → '));
        const t = target(file, i.spec);
        if (t) visit(join(SRC, t), [...via, f.rel]);
      }
    };
    for (const f of all) if (f.rel.startsWith('relay/codec/')) visit(f.file, []);
    expect(bad).toEqual([]);
  });

  test('relay/ never imports admin/ or federation/', () => {
    expect(
      violations(
        (rel) => top(rel) === 'relay',
        (t) => t !== null && (top(t) === 'admin' || top(t) === 'federation'),
      ),
    ).toEqual([]);
  });

  test('only the config and database modules are global', () => {
    const global = all
      .filter((f) => /@Global\(\)/.test(readFileSync(f.file, 'utf8')))
      .map((f) => f.rel)
      .sort();
    expect(global).toEqual(['config/config.module.ts', 'database/database.module.ts']);
  });

  test('admin routes live in their feature: no controller under admin/ but the dashboard', () => {
    const adminControllers = all
      .filter((f) => top(f.rel) === 'admin' && f.rel.endsWith('.controller.ts'))
      .map((f) => f.rel);
    expect(adminControllers).toEqual(['admin/admin-dashboard.controller.ts']);
  });

  test('SQL lives in repositories: no query, query builder or ORM repository outside *.repository.ts', () => {
    const bad: string[] = [];
    for (const f of all) {
      if (!SQL_CHECKED.some((c) => f.rel === c || f.rel.startsWith(`${c}/`))) continue;
      if (f.rel.endsWith('.repository.ts') || f.rel.includes('/migrations/') || top(f.rel) === 'database') continue;
      const text = readFileSync(f.file, 'utf8');
      for (const m of text.matchAll(ORM_ACCESS)) bad.push(`${f.rel}: ${m[0]}`);
    }
    expect(bad).toEqual([]);
  });

  test('the SQL scan recognises every kind of ORM access (sanity)', () => {
    const hits = (t: string) => [...t.matchAll(ORM_ACCESS)].map((m) => m[0]);
    expect(hits("await this.ds.query('SELECT 1')")).toEqual(['.query(']);
    expect(hits('repo.createQueryBuilder("u")')).toEqual(['createQueryBuilder']);
    expect(hits('m.getRepository(User)')).toEqual(['getRepository']);
    expect(hits('@InjectRepository(User) private readonly r')).toEqual(['InjectRepository']);
    expect(hits('this.repo.manager.transaction(')).toEqual(['.manager']);
    expect(hits('this.limits.check(key)')).toEqual([]);
  });

  test("a module registers only its own folder's entities with TypeOrmModule.forFeature", () => {
    const bad: string[] = [];
    const modules = all.filter(
      (f) => f.rel.endsWith('.module.ts') && SQL_CHECKED.some((c) => f.rel.startsWith(`${c}/`)),
    );
    for (const f of modules) {
      const text = readFileSync(f.file, 'utf8');
      for (const m of text.matchAll(/forFeature\(\[([^\]]*)\]/g)) {
        for (const name of m[1]
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)) {
          const spec = importedFrom(text, name);
          const t = spec ? target(f.file, spec) : null;
          if (!t || top(t) !== top(f.rel)) bad.push(`${f.rel}: ${name} (${spec ?? 'not imported'})`);
        }
      }
    }
    expect(modules.length).toBeGreaterThan(3);
    expect(bad).toEqual([]);
  });
  test("a repository names only its own feature's tables (another feature's data goes through a port)", () => {
    expect(tableOwner.get('servers')).toBe('servers');
    expect(tableOwner.get('server_libraries')).toBe('servers');
    expect(tableOwner.get('users')).toBe('users');
    expect(tableOwner.get('relay_sessions')).toBe('relay');
    const bad: string[] = [];
    const repositories = all.filter((f) => f.rel.endsWith('.repository.ts'));
    for (const f of repositories) {
      if (FOREIGN_TABLE_EXCEPTIONS.includes(f.rel)) continue;
      for (const { table, how } of tablesNamedBy(f.rel, readFileSync(f.file, 'utf8'))) {
        const owner = tableOwner.get(table) ?? table.split("'")[0];
        if (owner !== top(f.rel)) bad.push(`${f.rel}: ${table} (${how})`);
      }
    }
    expect(repositories.length).toBeGreaterThan(10);
    expect(bad).toEqual([]);
  });

  test('the table scan sees SQL strings and entity imports (sanity)', () => {
    const named = (text: string) => tablesNamedBy('relay/x.repository.ts', text).map((t) => `${t.table} ${t.how}`);
    expect(named("q('SELECT name FROM servers WHERE id = ?')")).toEqual(['servers SQL']);
    expect(named('q(`SELECT u.username FROM relay_usage r JOIN users u ON u.id = r.user_id`)')).toEqual([
      'relay_usage SQL',
      'users SQL',
    ]);
    expect(named("import { ServerLibrary } from '../servers/entities/server-library.entity.js';")).toEqual([
      'server_libraries ../servers/entities/server-library.entity.js',
    ]);
    expect(named("import { Server } from '../servers/servers.repository.js';\nq('the servers are up')")).toEqual([]);
    expect(named("/** sums `relay_sessions` */\n// FROM users\nexport const T = 'servers';")).toEqual(['servers SQL']);
    expect(FOREIGN_TABLE_EXCEPTIONS.every((rel) => all.some((f) => f.rel === rel))).toBe(true);
  });
});

/** Tables by owning feature, from the `@Entity('…')` declarations of src/. */
const tableOwner = new Map<string, string>();
for (const f of all.filter((x) => x.rel.endsWith('.entity.ts'))) {
  for (const m of readFileSync(f.file, 'utf8').matchAll(/@Entity\(\s*['"](\w+)['"]/g)) tableOwner.set(m[1], top(f.rel));
}

/**
 * Repositories that may name another feature's tables:
 * - `share:import` creates the importing hub's servers, libraries and accounts inside the same
 *   transaction as the shares it brings in, so its repository writes `servers`, `server_libraries`
 *   and `users` directly;
 * - a share is live only while its server still belongs to the share's owner, and the share lists
 *   carry server, library and user names: shares.repository.ts joins `servers`, `server_libraries`
 *   and `users` in those queries (they move behind ports when the share views are reworked).
 */
const FOREIGN_TABLE_EXCEPTIONS = ['sharing/share-transfer.repository.ts', 'sharing/shares.repository.ts'];

/** string literals of `text` (single, double and template quoted) */
function literalsOf(text: string): string[] {
  return [...text.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0].slice(1, -1));
}

/** the tables a repository's text names in SQL strings, or as entity classes it imports */
function tablesNamedBy(rel: string, text: string): { table: string; how: string }[] {
  const out: { table: string; how: string }[] = [];
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1')
    .replace(/^\s*(?:(?:import|export)\s[^;'"]*?\sfrom\s*|import\s*)['"][^'"]+['"]/gm, '');
  for (const lit of literalsOf(code)) {
    const sql = /\b(?:SELECT|INSERT|UPDATE|DELETE|FROM|JOIN)\b/i.test(lit);
    for (const table of tableOwner.keys()) {
      if (lit === table || (sql && new RegExp(`\\b${table}\\b`).test(lit))) out.push({ table, how: 'SQL' });
    }
  }
  const from = join(SRC, rel);
  for (const i of importsOf(text)) {
    const t = target(from, i.spec);
    if (!t || !/(?:\.entity|\/entities\/index)\.ts$/.test(t)) continue;
    const entityText = readFileSync(join(SRC, t), 'utf8');
    for (const m of entityText.matchAll(/@Entity\(\s*['"](\w+)['"]/g)) out.push({ table: m[1], how: i.spec });
    if (t.endsWith('/entities/index.ts')) out.push({ table: `${top(t)}'s tables`, how: i.spec });
  }
  return out;
}

/** the module specifier `name` is imported from in `text`, if any */
function importedFrom(text: string, name: string): string | null {
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]([^'"]+)['"]/g)) {
    if (
      m[1]
        .split(',')
        .map((x) =>
          x
            .trim()
            .split(/\s+as\s+/)
            .pop(),
        )
        .includes(name)
    ) {
      return m[2];
    }
  }
  return null;
}
