// Medians of repeated runs, and the Markdown table for BENCHMARKS.md.
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((p, q) => p - q);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : +((s[m - 1] + s[m]) / 2).toFixed(1);
};

/** Per scenario: medians of req/s, p50, p99; spread of req/s; worst errors; highest RSS and load. */
export function summarize(runs) {
  const out = {};
  for (const [name, rs] of Object.entries(runs)) {
    out[name] = {
      reqPerSec: median(rs.map((r) => r.reqPerSec)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      reqPerSecMin: Math.min(...rs.map((r) => r.reqPerSec)),
      reqPerSecMax: Math.max(...rs.map((r) => r.reqPerSec)),
      bad: Math.max(...rs.map((r) => r.non2xx + r.errors + r.timeouts)),
      rssMiB: Math.max(...rs.map((r) => r.rssMiB)),
      load: Math.max(...rs.map((r) => r.load)),
      runs: rs,
    };
  }
  return out;
}

export function markdown(results) {
  const lines = [
    '| DB | size | scenario | req/s (median, min–max) | p50 ms | p99 ms | non-2xx | RSS MiB | req/s large÷small | p99 large÷small |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const small = results.find((x) => x.db === r.db && x.size === 'small');
    for (const [name, s] of Object.entries(r.scenarios)) {
      const b = small && small !== r ? small.scenarios[name] : null;
      const ratio = (x, y) => (b && x !== null && y ? `${(x / y).toFixed(2)}` : '');
      lines.push(
        `| ${r.db} | ${r.size} | ${name} | ${s.reqPerSec} (${s.reqPerSecMin}–${s.reqPerSecMax}) | ${s.p50} | ${s.p99} | ${s.bad} | ${s.rssMiB} | ${ratio(s.reqPerSec, b?.reqPerSec)} | ${ratio(s.p99, b?.p99)} |`,
      );
    }
  }
  return lines.join('\n');
}
