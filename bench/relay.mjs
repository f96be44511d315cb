#!/usr/bin/env node
// Relay bench, loopback only, bounded in time (≈ 8–10 min on a loaded 2-vCPU box, watchdog 12 min) and count; stops by itself.
//   npm run build:hub && node bench/relay.mjs
//   node bench/relay.mjs --size-mib 1024 --agents 200 --streams 500 --rate-mbps 8 --duration 60 --steps 100,200,300,500
// (p) the relay side by side with its peers in the same run (bench/relay/peer-scenarios.mjs): nginx serving files with
//     sendfile (direct), nginx as one proxy hop, `ssh -R` to a throwaway loopback sshd (aes128-gcm), hub + agent; native
//     clients (curl, wrk) and the Node client: one --size-mib download (best of 3), 8 parallel --par-mib downloads, 1 KiB
//     requests with wrk 2 threads × 32 conns for --wrk-seconds; every figure as a ratio to the peers; hub CPU-seconds per
//     GiB relayed and per 1000 requests (/proc/<pid>/stat). nginx-light, openssh-server and wrk are installed with apt-get
//     when missing (as root), else the peer is skipped with a message. --peer-parts one,par,node,small picks parts.
// (a) one download of --size-mib: direct from the origin, through a plain TCP pipe (the limit), through hub + agent
// (c) --seek-seconds of random 256 KiB Range requests (4 clients), direct and through the relay
// (b) --agents agents connected, then steps of paced streams (hub per-stream cap = --rate-mbps, HUB_RELAY_STREAM_MAX_BPS)
//     for --step-seconds each, then --duration seconds at the largest step that ran clean (no stall, no failure,
//     p99 TTFB < 2 s, every stream ≥ 90 % of the rate), then --step-seconds at the target if the steps stopped short.
//     A stall: a model player at the rate, starting 1 s after the first byte, runs out of bytes.
// Processes: hub (node dist/main.js, SQLite), agents, origin, pipe, nginx, sshd + ssh, curl / wrk, and this one (the
// Node clients); CPU is per process.
// Access tokens are signed with the hub's key (bench/relay/tokens.mjs): no argon2 sign-ins inside the measured hub.
// Other options: --only p,a,b,c (default p,b) · --stagger-ms N (between stream starts) · --hub-env K=V,… · --hub-node-args=… (default: the flags of `npm start`) / --agent-node-args=… (e.g. --cpu-prof; summarise with bench/relay/cpu-top.mjs).
// Results: Markdown on stdout, JSON in bench/results/relay-<timestamp>.json.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { PATTERN, PATTERN_SIZE } from './relay/pattern.mjs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { seed } from './seed.mjs';
import { memOf } from './lib/hub.mjs';
import { startFlags, startRelayHub } from './relay/hub.mjs';
import { mintAccessTokens } from './relay/tokens.mjs';
import { cpuMeter, download, seek, streams } from './relay/measure.mjs';
import { ensureTools, startNginx, startSshTunnel } from './relay/peers.mjs';
import { peerScenarios, peerTable } from './relay/peer-scenarios.mjs';

const { values: a } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    agents: { type: 'string', default: '200' },
    streams: { type: 'string', default: '500' },
    'rate-mbps': { type: 'string', default: '8' },
    duration: { type: 'string', default: '60' },
    steps: { type: 'string', default: '100,200,300,500' },
    'step-seconds': { type: 'string', default: '12' },
    'seek-seconds': { type: 'string', default: '10' },
    'hub-env': { type: 'string', default: '' },
    'hub-node-args': { type: 'string', default: startFlags() },
    'agent-node-args': { type: 'string', default: '' },
    'stagger-ms': { type: 'string', default: '2' },
    only: { type: 'string', default: 'p,b' },
    'par-mib': { type: 'string', default: '512' },
    'peer-parts': { type: 'string', default: 'one,par,node,small' },
    'wrk-seconds': { type: 'string', default: '10' },
  },
});
const SIZE = Number(a['size-mib']) * 1024 * 1024;
const PATTERN_1K = Buffer.alloc(1024, 'phlix relay bench ');
const RATE = Number(a['rate-mbps']) * 1e6;
const say = (m) => process.stderr.write(`[relay-bench] ${m}\n`);
const children = [];
const stops = [];
const watchdog = setTimeout(() => {
  say('watchdog: 12 minutes passed, giving up');
  cleanup();
  process.exit(3);
}, 12 * 60_000);

function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of stops.splice(0)) s();
}
process.on('exit', cleanup);

/** Start a child of bench/relay/children.mjs and wait for its ready line. */
function child(role, ...args) {
  const flags = role === 'agents' ? a['agent-node-args'].split(' ').filter(Boolean) : [];
  const c = spawn(
    process.execPath,
    [...flags, new URL('./relay/children.mjs', import.meta.url).pathname, role, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(c);
  let err = '';
  c.stderr.on('data', (d) => {
    err = (err + d).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: c.stdout });
    rl.once('line', (l) => resolve({ ...JSON.parse(l), pid: c.pid, stop: () => c.kill('SIGTERM'), err: () => err }));
    c.once('exit', (code) => reject(new Error(`${role} exited ${code}: ${err}`)));
  });
}

const extraEnv = Object.fromEntries(
  a['hub-env']
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const only = new Set(a.only.split(','));
const nodeArgs = a['hub-node-args'].split(' ').filter(Boolean);
const hubEnv = (extra = {}) => ({
  HUB_RELAY_CONNECT_LIMIT: '1000000',
  HUB_RELAY_REQUEST_LIMIT: '0',
  HUB_MAX_RELAY_SESSIONS: '100000',
  HUB_RELAY_TTFB_TIMEOUT: '60',
  ...extraEnv,
  ...extra,
});

const results = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  loadBefore: loadavg()[0],
  args: a,
};
/** A shared box: wait (at most a minute) for the 1-minute load average to settle before measuring. */
async function quiet() {
  const t0 = Date.now();
  while (loadavg()[0] > 1.5 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 3000));
  return +loadavg()[0].toFixed(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'phlix-bench-relay-'));
try {
  try {
    await import('bufferutil');
    results.bufferutil = true;
  } catch {
    results.bufferutil = false;
  }
  results.hubNodeArgs = nodeArgs.join(' ');
  say(`seeding (small fleet) in ${dataDir}`);
  const fx = await seed({ size: 'small', dataDir, log: () => undefined });
  const origin = await child('origin');
  const pipe = await child('pipe', String(origin.port));
  const originUrl = `http://127.0.0.1:${origin.port}`;

  // ---- (p): peers side by side, native clients -----------------------------------------------
  if (only.has('p')) {
    const tools = ensureTools(say);
    const www = join(dataDir, 'www');
    mkdirSync(www);
    writeFileSync(join(www, 'small'), PATTERN_1K);
    const sparse = (f, n) => {
      writeFileSync(f, '');
      truncateSync(f, n);
    };
    writeFileSync(join(www, 'big'), ''); // the pattern, so the Node client checks every byte
    for (let o = 0; o < SIZE; o += PATTERN_SIZE) {
      appendFileSync(join(www, 'big'), PATTERN.subarray(0, Math.min(PATTERN_SIZE, SIZE - o)));
    }
    for (let i = 0; i < 8; i++) sparse(join(www, `par${i}`), Number(a['par-mib']) * 1048576);
    const ng = tools.nginx ? await startNginx(tools.nginx, dataDir, www) : null;
    if (!ng) {
      say('nginx missing: (p) skipped');
    } else {
      stops.push(() => ng.stop());
      const paths = {
        direct: { base: `http://127.0.0.1:${ng.direct}`, headers: {} },
        nginxHop: { base: `http://127.0.0.1:${ng.hop}`, headers: {} },
      };
      if (tools.sshd && tools.ssh) {
        try {
          const t = await startSshTunnel(tools, dataDir, ng.direct);
          stops.push(() => t.stop());
          paths.sshR = { base: `http://127.0.0.1:${t.port}`, headers: {} };
        } catch (e) {
          say(`ssh -R skipped: ${e.message}`);
        }
      }
      const ph = await startRelayHub({ dataDir, env: hubEnv(), nodeArgs });
      stops.push(() => {
        try {
          process.kill(ph.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      });
      const sp = fx.servers[0];
      writeFileSync(
        join(dataDir, 'agents-p.json'),
        JSON.stringify({ hub: ph.base, origin: paths.direct.base, servers: [sp] }),
      );
      const pa = await child('agents', join(dataDir, 'agents-p.json'));
      if (!pa.ready) throw new Error(`agent did not connect: ${pa.err()}`);
      paths.hub = {
        base: `${ph.base}/api/v1/servers/${sp.id}/proxy`,
        headers: { Authorization: `Bearer ${(await mintAccessTokens(dataDir, [sp.owner]))[sp.owner]}` },
      };
      results.peersLoadAtStart = await quiet();
      results.peers = await peerScenarios({
        paths,
        tools,
        hubPid: ph.pid,
        agentPid: pa.pid,
        size: SIZE,
        parSize: Number(a['par-mib']) * 1048576,
        wrkSeconds: Number(a['wrk-seconds']),
        parts: new Set(a['peer-parts'].split(',')),
        say,
      });
      results.peers.hubPeakRssMiB = memOf(ph.pid).peakMiB;
      pa.stop();
      stops.pop();
      await ph.stop();
      for (const s of stops.splice(0)) s();
    }
  }

  // ---- (a) + (c): one agent, no caps --------------------------------------------------------
  if (only.has('a') || only.has('c')) {
    let hub = await startRelayHub({ dataDir, env: hubEnv(), nodeArgs });
    const s0 = fx.servers[0];
    const token0 = (await mintAccessTokens(dataDir, [s0.owner]))[s0.owner];
    writeFileSync(join(dataDir, 'agents-1.json'), JSON.stringify({ hub: hub.base, origin: originUrl, servers: [s0] }));
    let agents = await child('agents', join(dataDir, 'agents-1.json'));
    if (!agents.ready) throw new Error(`agent did not connect: ${agents.err()}`);
    const auth = { Authorization: `Bearer ${token0}` };
    const relayUrl = `${hub.base}/api/v1/servers/${s0.id}/proxy/file?size=${SIZE}`;
    const paths = {
      direct: [`${originUrl}/file?size=${SIZE}`, {}],
      pipe: [`http://127.0.0.1:${pipe.port}/file?size=${SIZE}`, {}],
      relay: [relayUrl, auth],
    };
    results.loadAtStart = await quiet();
    results.download = { sizeMiB: SIZE / 1048576, runs: [] };
    for (let round = 0; round < 2; round++) {
      for (const [name, [url, headers]] of Object.entries(paths)) {
        const cpu = cpuMeter({
          hub: hub.pid,
          agent: agents.pid,
          origin: origin.pid,
          pipe: pipe.pid,
          client: process.pid,
        });
        const r = await download(url, headers, SIZE);
        results.download.runs.push({ path: name, ...r, cpuPct: cpu() });
        say(`(a) ${name}: ${r.gbps} Gbit/s (${r.seconds} s)`);
      }
    }
    const best = (p) => Math.max(...results.download.runs.filter((r) => r.path === p).map((r) => r.gbps));
    Object.assign(results.download, { directGbps: best('direct'), pipeGbps: best('pipe'), relayGbps: best('relay') });
    results.download.relayVsDirect = +(best('relay') / best('direct')).toFixed(2);
    results.download.relayVsPipe = +(best('relay') / best('pipe')).toFixed(2);

    const seekS = Number(a['seek-seconds']);
    if (only.has('c')) {
      results.seek = { direct: await seek(paths.direct[0], {}, SIZE, { seconds: Math.max(3, seekS / 2) }) };
      say(`(c) direct: ${JSON.stringify(results.seek.direct)}`);
      const seekCpu = cpuMeter({ hub: hub.pid, agent: agents.pid });
      results.seek.relay = await seek(relayUrl, auth, SIZE, { seconds: seekS });
      results.seek.relay.cpuPct = seekCpu();
      results.seek.relayVsDirectRate = +(results.seek.relay.perSecond / results.seek.direct.perSecond).toFixed(2);
      say(`(c) relay: ${JSON.stringify(results.seek.relay)}`);
    }
    agents.stop();
    await hub.stop();
  }
  if (only.has('b')) {
    // ---- (b): many agents, paced streams --------------------------------------------------------
    const hub = await startRelayHub({ dataDir, env: hubEnv({ HUB_RELAY_STREAM_MAX_BPS: String(RATE) }), nodeArgs });
    const servers = fx.servers.slice(0, Number(a.agents));
    const owners = [...new Set(servers.map((s) => s.owner))];
    const tokens = await mintAccessTokens(dataDir, owners);
    const memIdle = memOf(hub.pid);
    writeFileSync(join(dataDir, 'agents-n.json'), JSON.stringify({ hub: hub.base, origin: originUrl, servers }));
    const agents = await child('agents', join(dataDir, 'agents-n.json'));
    results.fleet = {
      agents: servers.length,
      up: agents.up,
      connectMs: agents.connectMs,
      hubMiBBefore: memIdle.rssMiB,
      hubMiBConnected: memOf(hub.pid).rssMiB,
    };
    say(
      `(b) ${agents.up}/${servers.length} agents connected in ${agents.connectMs} ms; hub RSS ${results.fleet.hubMiBConnected} MiB`,
    );
    const targets = servers.map((s) => ({
      url: `${hub.base}/api/v1/servers/${s.id}/proxy/file?size=${SIZE}`,
      headers: { Authorization: `Bearer ${tokens[s.owner]}` },
    }));
    const run = async (n, seconds) => {
      const cpu = cpuMeter({ hub: hub.pid, agents: agents.pid, origin: origin.pid, client: process.pid });
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, memOf(hub.pid).rssMiB)), 500);
      const r = await streams(targets, n, { seconds, rateBps: RATE, staggerMs: Number(a['stagger-ms']) });
      clearInterval(sampler);
      Object.assign(r, { cpuPct: cpu(), hubPeakRssMiB: Math.max(peak, memOf(hub.pid).rssMiB) });
      say(
        `(b) ${n} streams × ${seconds} s: stalls ${r.stalls}, p99 TTFB ${r.ttfbP99ms} ms, rate p50/min ${r.rateMbpsP50}/${r.rateMbpsMin} Mbit/s, hub CPU ${r.cpuPct.hub} %, peak RSS ${r.hubPeakRssMiB} MiB`,
      );
      await new Promise((res) => setTimeout(res, 1500)); // let the hub release everything
      return r;
    };
    const clean = (r) => r.stalls === 0 && r.failed === 0 && r.ttfbP99ms < 2000 && r.rateMbpsMin >= 0.9 * (RATE / 1e6);
    results.steps = [];
    let largest = null;
    for (const n of a.steps
      .split(',')
      .map(Number)
      .filter((n) => n <= Number(a.streams))) {
      const r = await run(n, Number(a['step-seconds']));
      results.steps.push(r);
      if (!clean(r)) break;
      largest = n;
    }
    const finalN = largest ?? Number(a.steps.split(',')[0]);
    results.final = await run(finalN, Number(a.duration));
    results.final.clean = clean(results.final);
    results.final.target = Number(a.streams);
    // the target itself, briefly, when the steps stopped below it (after the final run: RSS never shrinks back)
    if (finalN < Number(a.streams) && !results.steps.some((r) => r.streams === Number(a.streams))) {
      results.probe = await run(Number(a.streams), Number(a['step-seconds']));
    }
    results.hubPeakRssMiBLifetime = memOf(hub.pid).peakMiB;
    agents.stop();
    await hub.stop();
  }
  origin.stop();
  pipe.stop();
} finally {
  clearTimeout(watchdog);
  cleanup();
  rmSync(dataDir, { recursive: true, force: true });
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/relay-${results.at.replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(file, JSON.stringify(results, null, 2));
const d = results.download ?? {};
const lines = [
  ...(results.peers
    ? ['(p) peers, native clients (curl, wrk) and the Node client', '', peerTable(results.peers), '']
    : []),
  `relay bench ${results.at} · node ${results.node} · ${results.cpus} × ${results.cpu} · bufferutil ${results.bufferutil} · hub node flags: ${results.hubNodeArgs || 'none'}`,
  '',
  '| (a) 1 download | Gbit/s (best of 2) |',
  '|---|---|',
  `| direct from origin | ${d.directGbps} |`,
  `| plain TCP pipe | ${d.pipeGbps} |`,
  `| hub + agent (relay) | ${d.relayGbps} |`,
  `| relay / direct | ${d.relayVsDirect} |`,
  `| relay / pipe | ${d.relayVsPipe} |`,
  '',
  `(c) seek: direct ${JSON.stringify(results.seek?.direct)}`,
  `(c) seek: relay ${JSON.stringify(results.seek?.relay)}`,
  '',
  `(b) fleet ${JSON.stringify(results.fleet)}`,
  ...(results.steps ?? []).map((r) => `(b) step ${JSON.stringify(r)}`),
  `(b) final ${JSON.stringify(results.final)}`,
  `(b) probe at the target ${JSON.stringify(results.probe ?? null)}`,
  '',
  `written ${file.pathname}`,
];
process.stdout.write(lines.join('\n') + '\n');
