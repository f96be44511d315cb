import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { testDbKind } from './db.js';

/** Debian's Chromium (CHROMIUM_PATH to use another), or undefined when it is not installed. */
export const chromiumPath: string | undefined = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .filter(Boolean)
  .find((p) => existsSync(p!)) ?? (() => {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** Chromium's flags for the browser suites (a fresh profile comes from launch() itself). */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * `describe` for a browser suite: only on SQLite (the API suites cover MariaDB); without Chromium
 * skipped with a note, except under CI, where the suite runs and fails.
 */
export function browserDescribe(suite: string): jest.Describe {
  const onMysql = testDbKind() === 'mysql';
  if (!onMysql && !chromiumPath && !process.env.CI) process.stderr.write(`${suite} browser tests skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)\n`);
  return onMysql ? describe.skip : chromiumPath || process.env.CI ? describe : describe.skip;
}
