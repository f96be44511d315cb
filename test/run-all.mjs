#!/usr/bin/env node
// The README's test command (`npm test`): every suite on SQLite, then the integration
// suites again on MariaDB/MySQL, and one closing line "N passed, N failed".
//
// Results are counted per test file from test/progress-reporter.cjs. A watchdog stops jest when
// no file has finished for PHLIX_TEST_STALL_SECONDS (default 600; the slowest file takes about a
// minute): a jest worker that stops answering would otherwise keep the run waiting forever. The
// files that had not finished then run once more on their own; a file that does not finish
// the second time counts as one failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import net from 'node:net';

const extra = process.argv.slice(2);
const out = mkdtempSync(join(tmpdir(), 'phlix-jest-'));
const jest = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'];
const reporter = join(import.meta.dirname, 'progress-reporter.cjs');
const stallMs = Number(process.env.PHLIX_TEST_STALL_SECONDS ?? 600) * 1000;

function mysqlReachable() {
  const u = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  return new Promise((res) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 3306) });
    s.setTimeout(2000);
    s.on('connect', () => {
      s.destroy();
      res(true);
    });
    s.on('error', () => res(false));
    s.on('timeout', () => {
      s.destroy();
      res(false);
    });
  });
}

function readProgress(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** The files jest would run with these arguments. */
function listTests(env, args) {
  return new Promise((res) => {
    const p = spawn(process.execPath, [...jest, '--listTests', '--json', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
    });
    let s = '';
    p.stdout.on('data', (d) => (s += d));
    p.on('close', () => {
      try {
        res(JSON.parse(s));
      } catch {
        res([]);
      }
    });
  });
}

/** One jest run; resolves when it exits or when the watchdog stopped it. */
function jestRun(env, args, progress) {
  return new Promise((res) => {
    // --forceExit: a suite that leaks a handle must not hang CI (jest still reports it)
    const p = spawn(
      process.execPath,
      [...jest, '--reporters=default', `--reporters=${reporter}`, '--forceExit', ...args],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, ...env, NODE_NO_WARNINGS: '1', PHLIX_TEST_PROGRESS: progress },
        detached: true, // its own process group: stopping it stops its workers too
      },
    );
    let seen = -1;
    let lastChange = Date.now();
    let stalled = false;
    const watch = setInterval(() => {
      const n = readProgress(progress).filter((l) => l.event === 'done').length;
      if (n !== seen) {
        seen = n;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > stallMs) {
        stalled = true;
        clearInterval(watch);
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          p.kill('SIGKILL');
        }
      }
    }, 2000);
    p.on('close', (code) => {
      clearInterval(watch);
      res({ code, stalled });
    });
  });
}

const finishedIn = (lines) => new Map(lines.filter((l) => l.event === 'done').map((l) => [l.path, l]));

async function phase(label, env, args) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const progress = join(out, `${label}.jsonl`);
  const first = await jestRun(env, [...args, ...extra], progress);
  const notes = [];
  let troubles = 0; // failures not tied to a test result
  let rest = [];
  if (first.stalled) {
    const lines = readProgress(progress);
    const done = finishedIn(lines);
    const hung =
      lines
        .filter((l) => l.event === 'start' && !done.has(l.path))
        .map((l) => relative('.', l.path))
        .join(', ') || '(none)';
    rest = (await listTests(env, [...args, ...extra])).filter((f) => !done.has(f));
    process.stdout.write(
      `\n${label}: no test file finished in ${stallMs / 1000} s; jest was stopped while running ${hung}\n` +
        `${label}: running the ${rest.length} unfinished file(s) again\n`,
    );
    notes.push(`${label}: jest stopped once (stalled in ${hung}); unfinished files ran again`);
    if (rest.length) await jestRun(env, ['--runTestsByPath', ...rest], progress);
  } else if (first.code !== 0 && ![...finishedIn(readProgress(progress)).values()].some((r) => r.failed || r.error)) {
    notes.push(`${label}: jest exited with ${first.code} and no failing test`);
    troubles++;
  }
  const lines = readProgress(progress);
  const finished = finishedIn(lines);
  const unfinished = [...new Set([...lines.filter((l) => l.event === 'start').map((l) => l.path), ...rest])].filter(
    (f) => !finished.has(f),
  );
  if (unfinished.length) notes.push(`${label}: never finished: ${unfinished.map((f) => relative('.', f)).join(', ')}`);
  if (!finished.size) {
    return { passed: 0, failed: 1, notes: [`${label}: jest produced no results (exit ${first.code})`] };
  }
  let passed = 0;
  let failed = troubles + unfinished.length;
  let skipped = 0;
  for (const r of finished.values()) {
    passed += r.passed;
    skipped += r.skipped;
    // a suite that failed to load counts as a failure even with no test results
    failed += r.failed || (r.error ? 1 : 0);
  }
  return { passed, failed, skipped, notes };
}

const results = [await phase('sqlite', { TEST_DB: 'sqlite' }, [])];
if (await mysqlReachable()) {
  results.push(await phase('mysql', { TEST_DB: 'mysql' }, ['--testPathPatterns', '^.*/test/.*\\.e2e-spec\\.ts$']));
} else if (process.env.CI) {
  results.push({ passed: 0, failed: 1, notes: ['MariaDB/MySQL is not reachable; CI requires it'] });
} else {
  process.stdout.write('\nMariaDB/MySQL not reachable on 127.0.0.1:3306: integration suites ran on SQLite only\n');
}
for (const r of results) for (const n of r.notes) process.stdout.write(`${n}\n`);
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + (r.skipped ?? 0), 0);
if (skipped) process.stdout.write(`\n(${skipped} skipped)\n`);
// the closing line is exactly "N passed, N failed" (CI parses it)
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
