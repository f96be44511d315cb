#!/usr/bin/env node
// Capacity bench: seed a hub (small and large fleet), start `node dist/main.js` on 127.0.0.1, and
// measure reads, heartbeats, the claim flow and login with autocannon. Every run is bounded.
//   npm run build && node bench/run.mjs                       # SQLite and MariaDB (if reachable), both sizes
//   node bench/run.mjs --db sqlite --size small --duration 5
// MariaDB: TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306); databases phlix_bench_<size> are recreated.
// Results: printed as a Markdown table and written to bench/results/<timestamp>.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { seed } from './seed.mjs';
import { startHub } from './lib/hub.mjs';
import { claimFlows, getWithTokens, heartbeats, loginAll, logins } from './lib/scenarios.mjs';

const { values: a } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite,mysql' }, size: { type: 'string', default: 'small,large' },
    duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' },
    'max-load': { type: 'string', default: '1.5' },
  },
});
const maxLoad = Number(a['max-load']);

/** This box is shared: wait (up to 3 min) until the 1-minute load average says it is quiet. */
async function quiet(say) {
  const t0 = Date.now();
  while (loadavg()[0] > maxLoad && Date.now() - t0 < 180_000) await new Promise((r) => setTimeout(r, 5000));
  const l = +loadavg()[0].toFixed(2);
  if (l > maxLoad) say(`load ${l} is above ${maxLoad}: measuring anyway (noted in the results)`);
  return l;
}
const duration = Number(a.duration);
const connections = Number(a.connections);
const mysqlBase = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

async function mysqlDb(name) {
  const u = new URL(mysqlBase);
  const c = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  u.pathname = `/${name}`;
  return u.toString();
}

async function runOne(db, size) {
  const dataDir = mkdtempSync(join(tmpdir(), `phlix-bench-${db}-${size}-`));
  const dbUrl = db === 'mysql' ? await mysqlDb(`phlix_bench_${size}`) : undefined;
  const say = (m) => process.stderr.write(`[${db}/${size}] ${m}\n`);
  const fx = await seed({ size, dataDir, dbUrl, log: (m) => say(`seed: ${m}`) });
  const hub = await startHub({ dataDir, dbUrl });
  const res = { db, size, counts: fx.counts, seededMs: fx.seededMs, startMem: hub.mem(), scenarios: {} };
  try {
    const ownerTokens = await loginAll(hub.base, fx.owners.slice(0, 100), fx.password);
    const userTokens = await loginAll(hub.base, fx.users.slice(0, 100), fx.password);
    const o = { connections, duration };
    const measure = async (name, fn) => {
      const loadBefore = await quiet(say);
      say(name);
      const r = await fn();
      res.scenarios[name] = { ...r, ...hub.mem(), loadBefore, loadAfter: +loadavg()[0].toFixed(2) };
      say(`${name}: ${r.reqPerSec}/s p50 ${r.p50} ms p99 ${r.p99} ms non2xx ${r.non2xx} errors ${r.errors} rss ${res.scenarios[name].rssMiB} MiB`);
    };
    await getWithTokens(hub.base, '/api/v1/me/servers', ownerTokens, { connections, duration: 2 }); // warm-up
    await measure('GET /api/v1/me/servers', () => getWithTokens(hub.base, '/api/v1/me/servers', ownerTokens, o));
    // a typical user (about shares/users received shares) and a server owner (2 servers × shares/servers granted)
    await measure('GET /api/v1/me/shares (user)', () => getWithTokens(hub.base, '/api/v1/me/shares', userTokens, o));
    await measure('GET /api/v1/me/shares (owner)', () => getWithTokens(hub.base, '/api/v1/me/shares', ownerTokens, o));
    // heartbeats are limited to 30/min per server: stay under it (25 per server), bounded by `duration` too
    await measure('POST heartbeat', () => heartbeats(hub.base, fx.servers, { connections, amount: Math.min(fx.servers.length * 25, 12_000) }));
    await measure('claim flow', () => claimFlows(hub.base, ownerTokens, o));
    await measure('POST /api/v1/auth/login', () => logins(hub.base, fx.users, fx.password, o));
    res.endMem = hub.mem();
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return res;
}

const fmt = (v) => (v === null || v === undefined ? '–' : String(v));
function table(results) {
  const lines = ['| DB | size | scenario | req/s | p50 ms | p99 ms | non-2xx | RSS MiB | load before | req/s vs small | p99 vs small |', '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const r of results) {
    const small = results.find((x) => x.db === r.db && x.size === 'small');
    for (const [name, s] of Object.entries(r.scenarios)) {
      const b = small && small !== r ? small.scenarios[name] : null;
      const ratio = (x, y) => (b && y ? `${(x / y).toFixed(2)}×` : '');
      lines.push(`| ${r.db} | ${r.size} | ${name} | ${s.reqPerSec} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${s.non2xx + s.errors} | ${s.rssMiB} | ${s.loadBefore} | ${b ? ratio(s.reqPerSec, b.reqPerSec) : ''} | ${b ? ratio(s.p99, b.p99) : ''} |`);
    }
  }
  return lines.join('\n');
}

const results = [];
for (const db of a.db.split(',')) {
  for (const size of a.size.split(',')) results.push(await runOne(db, size));
}
const outDir = new URL('./results/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const meta = { node: process.version, cpus: (await import('node:os')).cpus().length, cpuModel: (await import('node:os')).cpus()[0]?.model, duration, connections, at: new Date().toISOString() };
writeFileSync(file, JSON.stringify({ meta, results }, null, 2));
process.stdout.write(`\n${table(results)}\n\n${JSON.stringify(meta)}\nresults: ${file}\n`);
