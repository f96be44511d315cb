// The two measured parts of bench/cluster.mjs.
//   part1: one server whose tunnel is on replica A; the same requests through A (ingress = owner) and through B
//          (ingress ≠ owner, one forwarding hop): one big download (best of N, alternating A and B), 1 KiB requests
//          with wrk (2 threads × 32 conns, and 1 × 1 for the unloaded latency) or the Node client.
//   part2: three servers, parallel downloads: (one) every tunnel and client on A; (spread) one tunnel per replica,
//          clients on each owner; (rr) the same tunnels, clients spread round-robin over the replicas.
import { loadavg } from 'node:os';
import { request } from 'node:http';
import { cpuSeconds, download, pct } from '../relay/measure.mjs';
import { curlGet, wrkRun } from '../relay/peers.mjs';

const GIB = 1024 ** 3;
const round = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? null : +x.toFixed(d));

/** CPU-seconds (user + system) each named pid used since the call. */
export function cpuSince(pids) {
  const sum = (p) => cpuSeconds(p).reduce((a, b) => a + b, 0);
  const c0 = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, sum(p)]));
  return () => Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, round(sum(p) - c0[k])]));
}

/** One GET, body discarded: its status (0 = no answer). */
function status(url, headers) {
  return new Promise((resolve) => {
    const req = request(url, { headers, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Keep-alive 1 KiB requests from this process (no wrk): `conns` loops for `seconds`. */
async function nodeSmall(url, headers, { conns, seconds }) {
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: conns });
  const lat = [];
  let non2xx = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: conns }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await new Promise((resolve) => {
          const req = request(url, { headers, agent }, (res) => {
            if (res.statusCode !== 200) non2xx++;
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', () => {
            errors++;
            resolve();
          });
          req.end();
        });
        lat.push(performance.now() - t0);
      }
    }),
  );
  agent.destroy();
  return {
    rps: Math.round(lat.length / seconds),
    requests: lat.length,
    p50ms: round(pct(lat, 50)),
    p99ms: round(pct(lat, 99)),
    non2xx,
    socketErrors: errors ? String(errors) : null,
  };
}

async function fetchBig(tools, url, headers, size) {
  if (tools.curl) {
    const r = await curlGet(tools.curl, url, headers);
    if (r.bytes !== size) throw new Error(`${url}: ${r.bytes} of ${size} bytes`);
    return { seconds: round(r.seconds), gbps: r.gbps };
  }
  return download(url, headers, size);
}

function small(tools, url, headers, { threads, conns, seconds }) {
  if (tools.wrk) return wrkRun(tools.wrk, url, { threads, conns, seconds, headers });
  return nodeSmall(url, headers, { conns, seconds });
}

/** Part 1. `via` = { A, B } replicas ({ base, pid }); B is skipped when it does not forward (503). */
export async function part1({ via, server, token, paths, tools, size, rounds, wrkSeconds, say }) {
  const headers = { Authorization: `Bearer ${token}` };
  const url = (r, p) => `${r.base}/api/v1/servers/${server.id}/proxy/${p}`;
  const probe = {
    A: await status(url(via.A, paths.small), headers),
    B: await status(url(via.B, paths.small), headers),
  };
  say(`part 1: probe of 1 KiB through A → ${probe.A}, through B → ${probe.B}`);
  if (probe.A !== 200) throw new Error(`a request through the owner replica answered ${probe.A}`);
  const sides = probe.B === 200 ? ['A', 'B'] : ['A'];
  const pids = { A: via.A.pid, B: via.B.pid };
  const out = { probe, forwarding: probe.B === 200, loadAtStart: round(loadavg()[0]), download: [], small: {} };
  for (let i = 0; i < rounds; i++) {
    for (const side of sides) {
      const cpu = cpuSince(pids);
      const r = await fetchBig(tools, url(via[side], paths.big), headers, size);
      out.download.push({ side, ...r, cpuSeconds: cpu() });
      say(`part 1: ${size / 1048576} MiB via ${side}: ${r.gbps} Gbit/s`);
    }
  }
  for (const side of sides) {
    const cpu = cpuSince(pids);
    const loaded = small(tools, url(via[side], paths.small), headers, { threads: 2, conns: 32, seconds: wrkSeconds });
    const loadedR = await loaded;
    const loadedCpu = cpu();
    const idle = await small(tools, url(via[side], paths.small), headers, {
      threads: 1,
      conns: 1,
      seconds: Math.max(3, Math.round(wrkSeconds / 2)),
    });
    out.small[side] = { loaded: { ...loadedR, cpuSeconds: loadedCpu }, single: idle };
    say(
      `part 1: 1 KiB via ${side}: ${loadedR.rps} req/s, p50 ${loadedR.p50ms} ms, p99 ${loadedR.p99ms} ms; 1 conn p50 ${idle.p50ms} ms`,
    );
  }
  const best = (s) => Math.max(...out.download.filter((d) => d.side === s).map((d) => d.gbps));
  out.bestGbps = Object.fromEntries(sides.map((s) => [s, best(s)]));
  if (out.forwarding) {
    const [a, b] = [out.small.A, out.small.B];
    out.ratios = {
      downloadBoverA: round(best('B') / best('A')),
      rpsBoverA: round(b.loaded.rps / a.loaded.rps),
    };
    out.addedMs = {
      loadedP50: round(b.loaded.p50ms - a.loaded.p50ms),
      loadedP99: round(b.loaded.p99ms - a.loaded.p99ms),
      singleP50: round(b.single.p50ms - a.single.p50ms),
      singleP99: round(b.single.p99ms - a.single.p99ms),
    };
  }
  return out;
}

/**
 * One part-2 scenario: `targets` = [{ url, headers }] downloaded all at once, `par` times each. Returns the
 * aggregate Gbit/s and CPU-seconds per replica (and per GiB relayed by the whole cluster).
 */
export async function parallel({ tools, targets, size, pids }) {
  const cpu = cpuSince(pids);
  const t0 = performance.now();
  const runs = await Promise.all(targets.map((t) => fetchBig(tools, t.url, t.headers, size)));
  const seconds = (performance.now() - t0) / 1000;
  const used = cpu();
  const gib = (targets.length * size) / GIB;
  return {
    downloads: targets.length,
    seconds: round(seconds),
    aggregateGbps: round((targets.length * size * 8) / seconds / 1e9),
    slowestGbps: Math.min(...runs.map((r) => r.gbps)),
    cpuSeconds: used,
    cpuSecondsPerGiB: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, round(v / gib)])),
    loadAfter: round(loadavg()[0]),
  };
}
