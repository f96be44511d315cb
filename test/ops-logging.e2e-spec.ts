import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built logger writes readable lines to a terminal and JSON lines to a pipe. Run `npm run build` first. */
const LOGGER = join(process.cwd(), 'dist', 'common', 'logger.js');
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const program = `import(${JSON.stringify(LOGGER)}).then((m) => { const l = m.createPino('info'); l.info({ req: { headers: { authorization: 'Bearer sekrit' } } }, 'hub says hello'); })`;

beforeAll(() => {
  if (!existsSync(LOGGER)) throw new Error('dist/common/logger.js is missing: run `npm run build` first');
});

test('stdout is a pipe → one JSON line per entry, secrets redacted', () => {
  const r = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(0);
  const line = JSON.parse(r.stdout.trim());
  expect(line).toMatchObject({ level: 30, msg: 'hub says hello', svc: 'phlix-hub' });
  expect(r.stdout).not.toContain('sekrit');
});

(SCRIPT ? test : test.skip)('stdout is a terminal → human-readable lines (pino-pretty), secrets redacted', () => {
  // script(1) runs the program on a pseudo-terminal and copies what it prints
  const r = spawnSync(
    SCRIPT!,
    ['-qefc', `${JSON.stringify(process.execPath)} -e ${JSON.stringify(program).replace(/\$/g, '\\$')}`, '/dev/null'],
    { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TERM: 'xterm' } },
  );
  expect(r.status).toBe(0);
  const out = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
  expect(out).toMatch(/INFO.*hub says hello/);
  expect(() => JSON.parse(out.trim())).toThrow();
  expect(out).not.toContain('sekrit');
});
