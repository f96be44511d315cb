#!/usr/bin/env node
// Cluster bench: three replicas of the hub on one MariaDB database and Redis, loopback only, bounded (≈ 2–4 min,
// watchdog --max-minutes, default 6) and stops everything by itself (also on an error or Ctrl-C).
//   npm run build:hub && node bench/cluster.mjs
//   node bench/cluster.mjs --size-mib 512 --rounds 3 --wrk-seconds 10 --par 2 --par-mib 256 --only 1,2
// Part 1: one server whose tunnel is on replica A. The same requests through A (ingress = owner) and through B
//   (ingress ≠ owner: B streams them to A over the cluster link): one --size-mib download (best of --rounds,
//   alternating A and B; curl when installed, else the Node client), 1 KiB requests with wrk 2 threads × 32 conns
//   for --wrk-seconds and 1 × 1 (the unloaded latency); req/s, p50, p99, the ratios B / A and the latency added.
//   When B answers 503 (a hub without forwarding), B is reported as not measurable.
// Part 2: three servers, --par parallel downloads of --par-mib each at once, aggregate Gbit/s and CPU-seconds per
//   GiB per replica: (i) every tunnel and client on replica A; (ii) one tunnel per replica, clients on each owner;
//   (iii) the same tunnels, clients round-robin over the replicas (needs forwarding). Best of --rounds (fewer when
//   the time budget, --max-minutes less 1.5, is spent).
// Processes: 3 replicas (`node <the flags of npm start> dist/main.js`, cluster mode), one agent process per server
// (dist/agent), nginx with sendfile as the origin (else a Node origin), curl / wrk (else Node clients in this process).
// Database: a fresh one on --mysql (dropped at the end); Redis --redis with a unique HUB_ID (its keys deleted at the
// end); access tokens signed with the hub key (bench/relay/tokens.mjs): no argon2 in the measured path.
// Results: Markdown on stdout, JSON in bench/results/cluster-<timestamp>.json.
import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { seed } from './seed.mjs';
import { memOf } from './lib/hub.mjs';
import { startFlags } from './relay/hub.mjs';
import { PATTERN, PATTERN_SIZE } from './relay/pattern.mjs';
import { mintAccessTokens } from './relay/tokens.mjs';
import { ensureTools, startNginx } from './relay/peers.mjs';
import { createDatabase, dropRedisKeys, startAgents, startReplicas, startRole } from './cluster/replicas.mjs';
import { parallel, part1 } from './cluster/parts.mjs';
import { markdown } from './cluster/report.mjs';

const { values: a } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '512' },
    rounds: { type: 'string', default: '3' },
    'wrk-seconds': { type: 'string', default: '10' },
    par: { type: 'string', default: '2' },
    'par-mib': { type: 'string', default: '256' },
    only: { type: 'string', default: '1,2' },
    mysql: { type: 'string', default: process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306' },
    redis: { type: 'string', default: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'hub-node-args': { type: 'string', default: startFlags() },
    'max-minutes': { type: 'string', default: '6' },
  },
});
const SIZE = Number(a['size-mib']) * 1048576;
const PAR_SIZE = Number(a['par-mib']) * 1048576;
const ROUNDS = Math.max(1, Number(a.rounds));
const T0 = Date.now();
/** part 2 runs no further round once this is passed, so the run ends well before the watchdog */
const ROUND_BUDGET = T0 + (Number(a['max-minutes']) - 1.5) * 60_000;
const only = new Set(a.only.split(','));
const say = (m) => process.stderr.write(`[cluster-bench] ${m}\n`);
const uptime = () => execSync('uptime', { encoding: 'utf8' }).trim();

const children = [];
const stops = [];
const track = (c) => children.push(c);
let db = null;
const hubId = `bench-cluster-${randomBytes(4).toString('hex')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'phlix-bench-cluster-'));

/** Kill what this run started, drop its database and Redis keys, remove its temp dir (idempotent). */
let cleaned = null;
function cleanup() {
  cleaned ??= (async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const s of stops.splice(0)) s();
    await db?.drop().catch((e) => say(`dropping ${db.name}: ${e.message}`));
    await dropRedisKeys(a.redis, hubId).catch((e) => say(`Redis keys of ${hubId}: ${e.message}`));
    rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaned;
}
let aborted = false;
const abort = (why, code) => {
  if (aborted) return;
  aborted = true;
  say(why);
  void cleanup().then(() => process.exit(code));
};
const watchdog = setTimeout(
  () => abort(`watchdog: ${a['max-minutes']} minutes passed, giving up`, 3),
  Number(a['max-minutes']) * 60_000,
);
process.on('SIGINT', () => abort('interrupted', 130));
process.on('SIGTERM', () => abort('terminated', 143));
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

const results = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  uptimeBefore: uptime(),
  args: a,
  hubNodeArgs: a['hub-node-args'],
};

/**
 * The origin: nginx (sendfile) serving `big` (--size-mib) and `par` (--par-mib), the pattern so the Node client can
 * check them, and `small` (1 KiB); else the Node origin of bench/relay/children.mjs.
 */
async function origin(tools) {
  if (tools.nginx) {
    const www = join(dataDir, 'www');
    mkdirSync(www);
    writeFileSync(join(www, 'small'), Buffer.alloc(1024, 'phlix cluster bench '));
    for (const [f, size] of [
      ['big', SIZE],
      ['par', PAR_SIZE],
    ]) {
      writeFileSync(join(www, f), '');
      for (let o = 0; o < size; o += PATTERN_SIZE) {
        appendFileSync(join(www, f), PATTERN.subarray(0, Math.min(PATTERN_SIZE, size - o)));
      }
    }
    const ng = await startNginx(tools.nginx, dataDir, www);
    stops.push(() => ng.stop());
    return {
      kind: 'nginx (sendfile)',
      url: `http://127.0.0.1:${ng.direct}`,
      paths: { big: 'big', par: 'par', small: 'small' },
    };
  }
  const o = await startRole('origin', [], track);
  return {
    kind: 'Node origin (bench/relay/children.mjs)',
    url: `http://127.0.0.1:${o.port}`,
    paths: { big: `file?size=${SIZE}`, par: `file?size=${PAR_SIZE}`, small: 'file?size=1024' },
  };
}

try {
  const tools = ensureTools(say);
  results.clients = `${tools.curl ? 'curl' : 'Node client'} (downloads), ${tools.wrk ? 'wrk' : 'Node client'} (1 KiB)`;
  db = await createDatabase(a.mysql);
  say(`database ${db.name}, HUB_ID ${hubId}, data dir ${dataDir}`);
  const fx = await seed({ size: 'small', dataDir, dbUrl: db.url, env: { HUB_ID: hubId }, log: () => undefined });
  const org = await origin(tools);
  results.origin = org.kind;
  const replicas = await startReplicas({
    names: ['node-a', 'node-b', 'node-c'],
    dataDir,
    dbUrl: db.url,
    redisUrl: a.redis,
    hubId,
    nodeArgs: a['hub-node-args'].split(' ').filter(Boolean),
    env: {
      HUB_RELAY_CONNECT_LIMIT: '1000000',
      HUB_RELAY_REQUEST_LIMIT: '0',
      HUB_MAX_RELAY_SESSIONS: '100000',
      HUB_RELAY_TTFB_TIMEOUT: '60',
    },
  });
  for (const r of replicas) {
    stops.push(() => {
      try {
        process.kill(r.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    });
  }
  const [A, B, C] = replicas;
  const pidsOf = { a: A.pid, b: B.pid, c: C.pid };
  say(`replicas up: ${replicas.map((r) => `${r.name} ${r.base}`).join(', ')}`);
  const servers = fx.servers.slice(0, 7);
  const tokens = await mintAccessTokens(dataDir, [...new Set(servers.map((s) => s.owner))], 7200, {
    dbUrl: db.url,
    hubId,
  });
  const target = (r, s) => ({
    url: `${r.base}/api/v1/servers/${s.id}/proxy/${org.paths.par}`,
    headers: { Authorization: `Bearer ${tokens[s.owner]}` },
  });
  const agents = (label, r, s) =>
    startAgents({ dataDir, label, hubUrl: r.base, originUrl: org.url, servers: [s], track });

  if (only.has('1')) {
    await agents('p1', A, servers[0]);
    results.part1 = await part1({
      via: { A, B },
      server: servers[0],
      token: tokens[servers[0].owner],
      paths: org.paths,
      tools,
      size: SIZE,
      rounds: ROUNDS,
      wrkSeconds: Number(a['wrk-seconds']),
      say,
    });
  }

  if (only.has('2')) {
    const par = Math.max(1, Number(a.par));
    // (i) servers 1–3 on A; (ii)/(iii) servers 4–6, server k on replica k; one agent process per server
    const oneServers = servers.slice(1, 4);
    const spreadServers = servers.slice(4, 7);
    const ag = [];
    for (const [i, s] of oneServers.entries()) ag.push(await agents(`one${i}`, A, s));
    for (const [i, s] of spreadServers.entries()) ag.push(await agents(`spread${i}`, replicas[i], s));
    const pids = { ...pidsOf, ...Object.fromEntries(ag.map((x, i) => [`agent${i}`, x.pid])) };
    const times = (list) => list.flatMap((t) => Array.from({ length: par }, () => t));
    const scenarios = {
      one: times(oneServers.map((s) => target(A, s))),
      spread: times(spreadServers.map((s, i) => target(replicas[i], s))),
      // a balancer without stickiness: the n-th download (of all) enters replica n mod 3, wherever the tunnel is
      rr: times(spreadServers).map((s, n) => target(replicas[n % 3], s)),
    };
    const forwarding = results.part1?.forwarding ?? true;
    if (!forwarding || par < 2) delete scenarios.rr;
    results.part2 = {
      servers: 3,
      par,
      sizeMiB: PAR_SIZE / 1048576,
      rounds: ROUNDS,
      runs: [],
      skipped: !forwarding ? '(iii): replicas do not forward yet' : undefined,
      rrForwarded: `${times([0, 1, 2]).filter((k, n) => n % 3 !== k).length} of ${3 * par}`,
    };
    // not measured: one download per server through each scenario's paths, so no replica's figures carry the
    // first-use cost (JIT, the first link between two replicas) of code that A and B already ran in part 1
    for (const [name, targets] of Object.entries(scenarios)) {
      if (name !== 'one') await parallel({ tools, targets, size: PAR_SIZE, pids });
    }
    say('part 2: warmed up');
    for (let i = 0; i < ROUNDS; i++) {
      if (i > 0 && Date.now() > ROUND_BUDGET) {
        say(`part 2: ${i} of ${ROUNDS} rounds, the time budget is spent`);
        results.part2.rounds = i;
        break;
      }
      for (const [name, targets] of Object.entries(scenarios)) {
        const r = await parallel({ tools, targets, size: PAR_SIZE, pids });
        const gib = (targets.length * PAR_SIZE) / 1024 ** 3;
        const sum = (pred) =>
          Object.entries(r.cpuSeconds)
            .filter(([k]) => pred(k))
            .reduce((x, [, v]) => x + v, 0);
        r.cpuSeconds.replicas = +sum((k) => k.length === 1).toFixed(2);
        r.cpuSeconds.agents = +sum((k) => k.startsWith('agent')).toFixed(2);
        r.cpuSecondsPerGiB.replicas = +(r.cpuSeconds.replicas / gib).toFixed(2);
        r.cpuSecondsPerGiB.agents = +(r.cpuSeconds.agents / gib).toFixed(2);
        results.part2.runs.push({ scenario: name, ...r });
        say(`part 2 ${name}: ${r.aggregateGbps} Gbit/s aggregate, replicas ${JSON.stringify(r.cpuSeconds)}`);
      }
    }
    results.part2.best = Object.fromEntries(
      Object.keys(scenarios).map((n) => [
        n,
        results.part2.runs
          .filter((r) => r.scenario === n)
          .reduce((x, y) => (y.aggregateGbps > x.aggregateGbps ? y : x)),
      ]),
    );
  }
  results.replicaMemMiB = Object.fromEntries(replicas.map((r) => [r.name, memOf(r.pid)]));
  results.seconds = Math.round((Date.now() - T0) / 1000);
  results.loadAfter = +loadavg()[0].toFixed(2);
  results.uptimeAfter = uptime();
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM'); // agents first: no reconnects while replicas drain
  await Promise.all(replicas.map((r) => r.stop().catch((e) => say(`${r.name}: ${e.message.slice(0, 300)}`))));
} catch (e) {
  results.error = e.stack ?? String(e);
  say(`failed: ${results.error}`);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await cleanup();
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/cluster-${results.at.replace(/[:.]/g, '-')}.json`, import.meta.url);
results.file = file.pathname;
writeFileSync(file, JSON.stringify(results, null, 2));
if (!results.error) process.stdout.write(markdown(results) + '\n');
else say(`partial results in ${file.pathname}`);
