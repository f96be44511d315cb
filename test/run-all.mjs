#!/usr/bin/env node
// The README's test command (`npm test`): every suite on SQLite, then the integration
// suites again on MariaDB/MySQL, and one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const extra = process.argv.slice(2);
const out = mkdtempSync(join(tmpdir(), 'phlix-jest-'));
const jest = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'];

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

function run(label, env, args) {
  const file = join(out, `${label}.json`);
  process.stdout.write(`\n=== ${label} ===\n`);
  // --forceExit: a suite that leaks a handle must not hang CI (jest still reports it)
  const r = spawnSync(process.execPath, [...jest, '--json', `--outputFile=${file}`, '--forceExit', ...args, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
  });
  if (!existsSync(file)) return { passed: 0, failed: 1, note: `${label}: jest produced no results (exit ${r.status})` };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  // a suite that failed to load counts as a failure even with no test results
  const brokenSuites = j.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
  return {
    passed: j.numPassedTests,
    failed: j.numFailedTests + brokenSuites,
    skipped: j.numPendingTests + j.numTodoTests,
  };
}

const results = [run('sqlite', { TEST_DB: 'sqlite' }, [])];
if (await mysqlReachable()) {
  results.push(run('mysql', { TEST_DB: 'mysql' }, ['--testPathPatterns', '^.*/test/.*\\.e2e-spec\\.ts$']));
} else if (process.env.CI) {
  results.push({ passed: 0, failed: 1, note: 'MariaDB/MySQL is not reachable; CI requires it' });
} else {
  process.stdout.write('\nMariaDB/MySQL not reachable on 127.0.0.1:3306: integration suites ran on SQLite only\n');
}
for (const r of results) if (r.note) process.stdout.write(`${r.note}\n`);
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + (r.skipped ?? 0), 0);
if (skipped) process.stdout.write(`\n(${skipped} skipped)\n`);
// the closing line is exactly "N passed, N failed" (CI parses it)
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
