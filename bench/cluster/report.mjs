// Markdown of bench/cluster.mjs's results.
const NM = 'not measurable yet (B answers without forwarding)';

function part1Table(p) {
  const d = (s) => p.bestGbps[s];
  const s = (side) => p.small[side];
  const fwd = p.forwarding;
  const B = (f) => (fwd ? f() : NM);
  return [
    `probe (1 KiB): through A → HTTP ${p.probe.A}, through B → HTTP ${p.probe.B} · load at start ${p.loadAtStart}`,
    '',
    '| part 1: one server, tunnel on A | via A (ingress = owner) | via B (ingress ≠ owner) | B / A | added by the hop |',
    '|---|---:|---:|---:|---:|',
    `| 1 download, Gbit/s (best of ${p.download.length / (fwd ? 2 : 1)}) | ${d('A')} | ${B(() => d('B'))} | ${B(() => p.ratios.downloadBoverA)} | |`,
    `| 1 KiB, 2 × 32 conns: req/s | ${s('A').loaded.rps} | ${B(() => s('B').loaded.rps)} | ${B(() => p.ratios.rpsBoverA)} | |`,
    `| 1 KiB, 2 × 32 conns: p50 / p99 ms | ${s('A').loaded.p50ms} / ${s('A').loaded.p99ms} | ${B(() => `${s('B').loaded.p50ms} / ${s('B').loaded.p99ms}`)} | | ${B(() => `${p.addedMs.loadedP50} / ${p.addedMs.loadedP99} ms`)} |`,
    `| 1 KiB, 1 conn: req/s | ${s('A').single.rps} | ${B(() => s('B').single.rps)} | | |`,
    `| 1 KiB, 1 conn: p50 / p99 ms | ${s('A').single.p50ms} / ${s('A').single.p99ms} | ${B(() => `${s('B').single.p50ms} / ${s('B').single.p99ms}`)} | | ${B(() => `${p.addedMs.singleP50} / ${p.addedMs.singleP99} ms`)} |`,
    `| non-2xx / socket errors (2 × 32) | ${s('A').loaded.non2xx} / ${s('A').loaded.socketErrors ?? 0} | ${B(() => `${s('B').loaded.non2xx} / ${s('B').loaded.socketErrors ?? 0}`)} | | |`,
    `| CPU-s of A, B during the 2 × 32 run | ${fmtCpu(s('A').loaded.cpuSeconds)} | ${B(() => fmtCpu(s('B').loaded.cpuSeconds))} | | |`,
  ].join('\n');
}

const fmtCpu = (c) =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

const LABEL = {
  one: '(i) 1 replica: every tunnel and client on A',
  spread: '(ii) 3 replicas: one tunnel each, clients on the owner',
  rr: '(iii) 3 replicas: one tunnel each, clients round-robin',
};

function part2Table(p) {
  const rows = Object.entries(p.best).map(([k, r]) => {
    const cpu = ['a', 'b', 'c'].map((n) => `${r.cpuSeconds[n]} / ${r.cpuSecondsPerGiB[n]}`).join(' · ');
    const label = k === 'rr' ? `${LABEL[k]} (${p.rrForwarded} forwarded)` : LABEL[k];
    return `| ${label} | ${r.aggregateGbps} | ${r.slowestGbps} | ${round2(r.aggregateGbps / p.best.one.aggregateGbps)} | ${cpu} | ${r.cpuSecondsPerGiB.replicas} | ${r.cpuSecondsPerGiB.agents} |`;
  });
  return [
    `${p.servers} servers × ${p.par} parallel downloads of ${p.sizeMiB} MiB (${p.servers * p.par} at once), best of ${p.rounds} rounds (alternating)${p.skipped ? ` · skipped: ${p.skipped}` : ''}`,
    '',
    '| part 2 | aggregate Gbit/s | slowest download Gbit/s | ÷ (i) | CPU-s / CPU-s per GiB: A · B · C | replicas CPU-s per GiB | agents CPU-s per GiB |',
    '|---|---:|---:|---:|---|---:|---:|',
    ...rows,
  ].join('\n');
}

const round2 = (x) => +x.toFixed(2);

export function markdown(r) {
  return [
    `cluster bench ${r.at} · node ${r.node} · ${r.cpus} × ${r.cpu} · replica node flags: ${r.hubNodeArgs || 'none'} · origin ${r.origin} · clients ${r.clients}`,
    `uptime before: ${r.uptimeBefore}`,
    `uptime after:  ${r.uptimeAfter} · run ${r.seconds} s`,
    `three replicas, agents, origin and clients all share these ${r.cpus} cores: part 2 shows the cost of the cluster's work on one box, not three boxes' worth of capacity`,
    '',
    r.part1 ? part1Table(r.part1) : 'part 1 not run',
    '',
    r.part2 ? part2Table(r.part2) : 'part 2 not run',
    '',
    `replica RSS / peak MiB at the end: ${Object.entries(r.replicaMemMiB ?? {})
      .map(([k, m]) => `${k} ${m.rssMiB} / ${m.peakMiB}`)
      .join(' · ')}`,
    '',
    `written ${r.file}`,
  ].join('\n');
}
