import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { testDbKind } from './db.js';

/** The built web app the browser suites load (npm run build:web). */
export const WEB_DIST = join(resolve('.'), 'web', 'dist');

/**
 * Debian's Chromium (`apt-get install chromium`; CHROMIUM_PATH to use another), or undefined.
 * .ci/run installs it.
 */
export const chromiumPath: string | undefined = (() => {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** Headless, no first-run or background traffic: every launch() also gets a fresh --user-data-dir of its own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * `describe` for a browser suite: skipped on MariaDB (the app talks to the API alone, whose
 * behaviour there the API suites cover) and, with a note, when Chromium is missing outside CI
 * (under CI the suite runs and fails).
 */
export function browserDescribe(what: string): jest.Describe {
  const onMysql = testDbKind() === 'mysql';
  if (!onMysql && !chromiumPath && !process.env.CI) {
    process.stderr.write(
      `${what} browser tests skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)\n`,
    );
  }
  return onMysql ? describe.skip : chromiumPath || process.env.CI ? describe : describe.skip;
}
