#!/usr/bin/env node
// A person browsing a media server's web UI through the relay, to choose HUB_RELAY_REQUEST_LIMIT from measurement.
//   npm run build:hub && node bench/relay-browse.mjs
//   node bench/relay-browse.mjs --pages 6 --posters 200 --assets 20 --think-ms 3000 --limit <n> --flood-seconds 20
// Each page: --assets page requests (HTML, scripts, styles, API calls) then --posters poster images (~30 KiB), the way a
// browser loads them (6 connections to the host), then --think-ms before the next page. Prints requests per page, the
// most requests in any 60 s window, page times and every non-2xx; then one client floods the relay with wrk
// (2 threads × 32 conns, --flood-seconds) to show the limit still stops it. The hub runs with HUB_RELAY_REQUEST_LIMIT=--limit
// (default: the hub's own default). 127.0.0.1 only, bounded (watchdog 5 min), stops by itself.
import { spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { seed } from './seed.mjs';
import { startRelayHub } from './relay/hub.mjs';
import { mintAccessTokens } from './relay/tokens.mjs';
import { wrkRun } from './relay/peers.mjs';

const { values: a } = parseArgs({
  options: {
    pages: { type: 'string', default: '6' },
    posters: { type: 'string', default: '200' },
    assets: { type: 'string', default: '20' },
    'think-ms': { type: 'string', default: '3000' },
    limit: { type: 'string' },
    'flood-seconds': { type: 'string', default: '20' },
  },
});
const say = (m) => process.stderr.write(`[relay-browse] ${m}\n`);
const children = [];
const cleanup = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
};
process.on('exit', cleanup);
const watchdog = setTimeout(() => {
  say('watchdog: 5 minutes passed, giving up');
  cleanup();
  process.exit(3);
}, 5 * 60_000);

function child(role, ...args) {
  const c = spawn(process.execPath, [new URL('./relay/children.mjs', import.meta.url).pathname, role, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(c);
  return new Promise((resolve, reject) => {
    createInterface({ input: c.stdout }).once('line', (l) =>
      resolve({ ...JSON.parse(l), stop: () => c.kill('SIGTERM') }),
    );
    c.once('exit', (code) => reject(new Error(`${role} exited ${code}`)));
  });
}

function get(agent, url, headers) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request(url, { agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ status: res.statusCode, at: Date.now(), ms: performance.now() - t0 }));
    });
    req.on('error', () => resolve({ status: 0, at: Date.now(), ms: performance.now() - t0 }));
    req.end();
  });
}

/** Load `urls` the way a browser does: at most 6 at a time over keep-alive connections. */
async function loadAll(agent, urls, headers) {
  const out = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (i < urls.length) out.push(await get(agent, urls[i++], headers));
    }),
  );
  return out;
}

const dataDir = mkdtempSync(join(tmpdir(), 'phlix-bench-browse-'));
const result = { at: new Date().toISOString(), args: a };
try {
  const fx = await seed({ size: 'small', dataDir, log: () => undefined });
  const origin = await child('origin');
  const env = {
    HUB_RELAY_CONNECT_LIMIT: '1000000',
    HUB_RELAY_TTFB_TIMEOUT: '60',
    ...(a.limit !== undefined ? { HUB_RELAY_REQUEST_LIMIT: a.limit } : {}),
  };
  const hub = await startRelayHub({ dataDir, env });
  children.push({
    exitCode: null,
    kill: () => {
      try {
        process.kill(hub.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  });
  const s = fx.servers[0];
  writeFileSync(
    join(dataDir, 'agents.json'),
    JSON.stringify({ hub: hub.base, origin: `http://127.0.0.1:${origin.port}`, servers: [s] }),
  );
  const agents = await child('agents', join(dataDir, 'agents.json'));
  if (!agents.ready) throw new Error('agent did not connect');
  const [browser, flooder] = await mintAccessTokens(dataDir, [s.owner]).then((t) => [t[s.owner], t[s.owner]]);
  const base = `${hub.base}/api/v1/servers/${s.id}/proxy`;
  const agent = new Agent({ keepAlive: true, maxSockets: 6 });
  const all = [];
  result.pages = [];
  for (let p = 0; p < Number(a.pages); p++) {
    const t0 = performance.now();
    const assets = Array.from(
      { length: Number(a.assets) },
      (_, i) => `${base}/web/page${p}/asset${i}?size=${i < 4 ? 200_000 : 4_000}`,
    );
    const posters = Array.from(
      { length: Number(a.posters) },
      (_, i) => `${base}/Items/p${p}i${i}/Images/Primary?size=30000`,
    );
    const rs = [
      ...(await loadAll(agent, assets, { Authorization: `Bearer ${browser}` })),
      ...(await loadAll(agent, posters, { Authorization: `Bearer ${browser}` })),
    ];
    all.push(...rs);
    const bad = rs.filter((r) => r.status !== 200).map((r) => r.status);
    result.pages.push({
      requests: rs.length,
      ms: Math.round(performance.now() - t0),
      non2xx: bad.length,
      statuses: [...new Set(bad)],
    });
    say(`page ${p + 1}: ${rs.length} requests in ${Math.round(performance.now() - t0)} ms, non-2xx ${bad.length}`);
    if (p + 1 < Number(a.pages)) await new Promise((r) => setTimeout(r, Number(a['think-ms'])));
  }
  agent.destroy();
  const ats = all.map((r) => r.at).sort((x, y) => x - y);
  let peak = 0;
  for (let i = 0, j = 0; i < ats.length; i++) {
    while (ats[i] - ats[j] >= 60_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  result.browse = {
    requests: all.length,
    seconds: +((ats.at(-1) - ats[0]) / 1000).toFixed(1),
    peakPerMinute: peak,
    status429: all.filter((r) => r.status === 429).length,
    non2xx: all.filter((r) => r.status !== 200).length,
  };
  say(`browse: ${JSON.stringify(result.browse)}`);
  const wrk = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim();
  if (wrk && Number(a['flood-seconds']) > 0) {
    result.flood = wrkRun(wrk, `${base}/flood?size=1024`, {
      seconds: Number(a['flood-seconds']),
      headers: { Authorization: `Bearer ${flooder}` },
    });
    result.flood.passed = result.flood.requests - result.flood.non2xx;
    say(`flood (wrk 2×32, ${a['flood-seconds']} s, the same user): ${JSON.stringify(result.flood)}`);
  } else {
    say('wrk not found (Debian package wrk): the flood part is skipped');
  }
  agents.stop();
  origin.stop();
  await hub.stop();
} finally {
  clearTimeout(watchdog);
  cleanup();
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
