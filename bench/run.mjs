#!/usr/bin/env node
// Capacity bench: seed two hubs (small and large fleet, same database engine), run both as
// `node dist/main.js` on 127.0.0.1, and measure each scenario on them alternately (small, large,
// small, large, …) so background load on this shared box hits both sizes alike. Medians are reported.
//   npm run build && node bench/run.mjs                     # SQLite, then MariaDB (TEST_MYSQL_URL)
//   node bench/run.mjs --db sqlite --reps 1 --duration 5    # quick look
// Every run is bounded (duration or request count); results go to bench/results/<timestamp>.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { seed } from './seed.mjs';
import { startHub } from './lib/hub.mjs';
import { claimFlows, getWithTokens, heartbeats, loginAll, logins } from './lib/scenarios.mjs';
import { markdown, summarize } from './lib/report.mjs';

const { values: a } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite,mysql' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    'max-load': { type: 'string', default: '1.0' },
    only: { type: 'string' },
  },
});
const duration = Number(a.duration);
const connections = Number(a.connections);
const reps = Number(a.reps);
const maxLoad = Number(a['max-load']);
const mysqlBase = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const SIZES = ['small', 'large'];

async function mysqlDb(name) {
  const u = new URL(mysqlBase);
  const c = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  u.pathname = `/${name}`;
  return u.toString();
}

/** This box is shared: wait (up to 2 min) until the 1-minute load average says it is quiet. */
async function quiet() {
  const t0 = Date.now();
  while (loadavg()[0] > maxLoad && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 3000));
  return +loadavg()[0].toFixed(2);
}

const SCENARIOS = [
  // reads: owners hold 2 servers; a user received about shares/users shares; an owner granted 2 × shares/servers
  { name: 'GET /api/v1/me/servers', run: (h, o) => getWithTokens(h.base, '/api/v1/me/servers', h.ownerTokens, o) },
  { name: 'GET /api/v1/me/shares (user)', run: (h, o) => getWithTokens(h.base, '/api/v1/me/shares', h.userTokens, o) },
  {
    name: 'GET /api/v1/me/shares (owner)',
    run: (h, o) => getWithTokens(h.base, '/api/v1/me/shares', h.ownerTokens, o),
  },
  // 30 heartbeats/min per server are allowed: ≤ 25 per server per run, and a fresh minute window per run
  {
    name: 'POST heartbeat',
    window: true,
    run: (h) => heartbeats(h.base, h.fx.servers, { connections, amount: Math.min(h.fx.servers.length * 25, 12_000) }),
  },
  { name: 'claim flow', run: (h, o) => claimFlows(h.base, h.ownerTokens, o) },
  { name: 'POST /api/v1/auth/login', run: (h, o) => logins(h.base, h.fx.users, h.fx.password, o) },
];

async function benchDb(db) {
  const hubs = {};
  const say = (m) => process.stderr.write(`[${db}] ${m}\n`);
  try {
    for (const size of SIZES) {
      const dataDir = mkdtempSync(join(tmpdir(), `phlix-bench-${db}-${size}-`));
      const dbUrl = db === 'mysql' ? await mysqlDb(`phlix_bench_${size}`) : undefined;
      const fx = await seed({ size, dataDir, dbUrl, log: (m) => say(`${size} seed: ${m}`) });
      const hub = await startHub({ dataDir, dbUrl });
      hubs[size] = Object.assign(hub, { dataDir, fx, lastWindow: 0, runs: {}, startMem: hub.mem() });
      hub.ownerTokens = await loginAll(hub.base, fx.owners.slice(0, 100), fx.password);
      hub.userTokens = await loginAll(hub.base, fx.users.slice(0, 100), fx.password);
      await getWithTokens(hub.base, '/api/v1/me/servers', hub.ownerTokens, { connections, duration: 2 }); // warm-up
    }
    const o = { connections, duration };
    for (const sc of SCENARIOS.filter((s) => !a.only || s.name.includes(a.only))) {
      for (let rep = 0; rep < reps; rep++) {
        for (const size of SIZES) {
          const h = hubs[size];
          if (sc.window) {
            const wait = h.lastWindow + 61_000 - Date.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          }
          const load = await quiet();
          const r = await sc.run(h, o);
          if (sc.window) h.lastWindow = Date.now();
          const row = { ...r, ...h.mem(), load };
          (h.runs[sc.name] ??= []).push(row);
          say(
            `${size} ${sc.name} #${rep + 1}: ${r.reqPerSec}/s p50 ${r.p50} p99 ${r.p99} ms, non2xx ${r.non2xx}, errors ${r.errors}, rss ${row.rssMiB} MiB, load ${load}`,
          );
        }
      }
    }
    return SIZES.map((size) => ({
      db,
      size,
      counts: hubs[size].fx.counts,
      seededMs: hubs[size].fx.seededMs,
      startMem: hubs[size].startMem,
      endMem: hubs[size].mem(),
      scenarios: summarize(hubs[size].runs),
    }));
  } finally {
    for (const h of Object.values(hubs)) {
      await h.stop().catch((e) => say(`stop: ${e.message}`));
      rmSync(h.dataDir, { recursive: true, force: true });
    }
  }
}

const results = [];
for (const db of a.db.split(',')) results.push(...(await benchDb(db)));
const meta = {
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  duration,
  connections,
  reps,
  maxLoad,
  at: new Date().toISOString(),
};
const outDir = new URL('./results/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `${meta.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ meta, results }, null, 2));
process.stdout.write(`\n${markdown(results)}\n\n${JSON.stringify(meta)}\nresults: ${file}\n`);
