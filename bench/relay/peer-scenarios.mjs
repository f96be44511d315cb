// Scenario (p) of bench/relay.mjs: the relay side by side with its peers in one run, native clients.
//   direct nginx · nginx as one proxy hop · ssh -R to a loopback sshd · hub + agent
//   one 1 GiB download (best of 3, curl; the Node client too) · 8 parallel downloads (curl, aggregate)
//   1 KiB requests (wrk 2 threads × 32 conns) · hub CPU-seconds per GiB and per 1000 requests
import { cpuSeconds, download } from './measure.mjs';
import { curlGet, wrkRun } from './peers.mjs';

import { readFileSync } from 'node:fs';

const hubCpu = (pid) => cpuSeconds(pid).reduce((x, y) => x + y, 0);
/** CPU-seconds of this process's finished children (curl, wrk): cutime + cstime. */
const childCpu = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
};
const ratio = (x, y) => (x && y ? +(x / y).toFixed(2) : null);

/**
 * paths: { name: { base, headers } } where `${base}/big` and `${base}/small` exist (the hub's base is its proxy URL).
 * Returns per path: one (best of 3, curl and node), par8 (Gbit/s aggregate), small (wrk), and for the hub CPU figures.
 */
export async function peerScenarios({
  paths,
  tools,
  hubPid,
  agentPid,
  size,
  par = 8,
  parSize = size,
  wrkSeconds = 10,
  parts = new Set(['one', 'par', 'node', 'small']),
  say,
}) {
  const out = {};
  for (const name of Object.keys(paths)) out[name] = { one: [], node: null };
  const hubGiB = { cpu: 0, agentCpu: 0, bytes: 0 };
  const measureHub = async (name, fn, bytes) => {
    const c0 = name === 'hub' ? hubCpu(hubPid) : 0;
    const a0 = name === 'hub' && agentPid ? hubCpu(agentPid) : 0;
    const r = await fn();
    if (name === 'hub') {
      hubGiB.cpu += hubCpu(hubPid) - c0;
      if (agentPid) hubGiB.agentCpu += hubCpu(agentPid) - a0;
      hubGiB.bytes += bytes;
    }
    return r;
  };
  if (tools.curl && parts.has('one')) {
    for (let round = 0; round < 3; round++) {
      for (const [name, p] of Object.entries(paths)) {
        const r = await measureHub(name, () => curlGet(tools.curl, `${p.base}/big`, p.headers), size);
        out[name].one.push(r.gbps);
        say(`(p) one download ${name} round ${round + 1}: ${r.gbps} Gbit/s`);
      }
    }
  }
  if (tools.curl && parts.has('par')) {
    for (const [name, p] of Object.entries(paths)) {
      const t0 = performance.now();
      const w0 = childCpu();
      const rs = await measureHub(
        name,
        () => Promise.all(Array.from({ length: par }, (_, i) => curlGet(tools.curl, `${p.base}/par${i}`, p.headers))),
        par * parSize,
      );
      const secs = (performance.now() - t0) / 1000;
      out[name].par = +((rs.reduce((s, r) => s + r.bytes, 0) * 8) / secs / 1e9).toFixed(2);
      out[name].parCurlCpuPct = Math.round((100 * (childCpu() - w0)) / secs);
      say(`(p) ${par} parallel ${name}: ${out[name].par} Gbit/s aggregate`);
    }
  }
  for (const [name, p] of parts.has('node') ? Object.entries(paths) : []) {
    const r = await download(`${p.base}/big`, p.headers, size);
    out[name].node = r.gbps;
    say(`(p) one download ${name}, node client: ${r.gbps} Gbit/s`);
  }
  let hubReq = null;
  if (tools.wrk && parts.has('small')) {
    for (const [name, p] of Object.entries(paths)) {
      const c0 = name === 'hub' ? hubCpu(hubPid) : 0;
      const a0 = name === 'hub' && agentPid ? hubCpu(agentPid) : 0;
      const w0 = childCpu();
      out[name].small = wrkRun(tools.wrk, `${p.base}/small`, { seconds: wrkSeconds, headers: p.headers });
      out[name].small.wrkCpuPct = Math.round((100 * (childCpu() - w0)) / wrkSeconds);
      if (name === 'hub') {
        const n = out[name].small.rps * wrkSeconds;
        hubReq = n ? +((1000 * (hubCpu(hubPid) - c0)) / n).toFixed(3) : null;
        out[name].small.hubCpuPct = Math.round((100 * (hubCpu(hubPid) - c0)) / wrkSeconds);
        if (agentPid) out[name].small.agentCpuPct = Math.round((100 * (hubCpu(agentPid) - a0)) / wrkSeconds);
      }
      say(`(p) 1 KiB wrk ${name}: ${JSON.stringify(out[name].small)}`);
    }
  }
  for (const v of Object.values(out)) v.oneBest = v.one.length ? Math.max(...v.one) : null;
  const h = out.hub;
  const vs = (peer) =>
    out[peer] && {
      one: ratio(h.oneBest, out[peer].oneBest),
      par: ratio(h.par, out[peer].par),
      node: ratio(h.node, out[peer].node),
      rps: ratio(h.small?.rps, out[peer].small?.rps),
      p99: ratio(h.small?.p99ms, out[peer].small?.p99ms),
    };
  return {
    paths: out,
    hubVs: { direct: vs('direct'), nginxHop: vs('nginxHop'), sshR: vs('sshR') },
    hubCpuSecondsPerGiB: hubGiB.bytes ? +(hubGiB.cpu / (hubGiB.bytes / 2 ** 30)).toFixed(3) : null,
    hubCpuSecondsPer1000Requests: hubReq,
    agentCpuSecondsPerGiB: hubGiB.bytes && agentPid ? +(hubGiB.agentCpu / (hubGiB.bytes / 2 ** 30)).toFixed(3) : null,
  };
}

/** Markdown table of a peerScenarios result. */
export function peerTable(p) {
  const rows = [
    '| path | 1 GiB, one download, curl (best of 3) | node client | 8 parallel, aggregate | 1 KiB wrk 2×32: req/s | p50 ms | p99 ms | non-2xx |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, v] of Object.entries(p.paths)) {
    rows.push(
      `| ${name} | ${v.oneBest ?? '–'} Gbit/s (${v.one.join(', ')}) | ${v.node ?? '–'} | ${v.par ?? '–'} | ${v.small?.rps ?? '–'} | ${v.small?.p50ms ?? '–'} | ${v.small?.p99ms ?? '–'} | ${v.small?.non2xx ?? '–'} |`,
    );
  }
  rows.push(
    '',
    '| hub ÷ peer | one download | node client | 8 parallel | req/s | p99 (lower is better) |',
    '|---|---|---|---|---|---|',
  );
  for (const [peer, r] of Object.entries(p.hubVs)) {
    if (r) rows.push(`| hub ÷ ${peer} | ${r.one} | ${r.node} | ${r.par} | ${r.rps} | ${r.p99} |`);
  }
  rows.push(
    '',
    `hub CPU-seconds per GiB relayed: ${p.hubCpuSecondsPerGiB} · per 1000 requests: ${p.hubCpuSecondsPer1000Requests} · agent CPU-seconds per GiB: ${p.agentCpuSecondsPerGiB}`,
  );
  const h = p.paths.hub?.small;
  if (h) {
    rows.push(
      `during wrk through the hub: hub ${h.hubCpuPct} %, agent ${h.agentCpuPct} %, wrk ${h.wrkCpuPct} % of one core`,
    );
  }
  rows.push(
    `load generators (% of one core): wrk ${Object.entries(p.paths)
      .map(([k, v]) => `${k} ${v.small?.wrkCpuPct ?? '–'}`)
      .join(', ')}; curl ×8 ${Object.entries(p.paths)
      .map(([k, v]) => `${k} ${v.parCurlCpuPct ?? '–'}`)
      .join(', ')}`,
  );
  return rows.join('\n');
}
