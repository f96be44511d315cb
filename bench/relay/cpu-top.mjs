#!/usr/bin/env node
// Self time per function (and per package / hub folder) of a V8 .cpuprofile, e.g. one the relay bench wrote with
//   node bench/relay.mjs --only p --peer-parts small --hub-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"
//   node bench/relay/cpu-top.mjs /tmp/prof/CPU.*.cpuprofile [top]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map();
const areas = new Map();
const area = (url) => {
  if (!url) return '(native / GC / idle)';
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const d = /dist\/(.+)\/[^/]+$/.exec(url);
  if (d) return `hub: ${d[1]}`;
  return url.startsWith('node:') ? `node: ${url.slice(5).split('/')[0]}` : url;
};
for (const [id, us] of self) {
  const n = byId.get(id);
  const f = n.callFrame;
  const k = `${f.functionName || '(anonymous)'} ${f.url ? f.url.replace(/^.*\/(dist|node_modules)\//, '$1/') : ''}:${f.lineNumber + 1}`;
  fns.set(k, (fns.get(k) ?? 0) + us);
  const a = area(f.url);
  areas.set(a, (areas.get(a) ?? 0) + us);
}
const top = Number(topArg ?? 25);
const pct = (us) => `${((100 * us) / total).toFixed(1)} %`;
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
console.log('\nby area');
for (const [k, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us).padStart(7)}  ${k}`);
console.log('\nby function (self)');
for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us).padStart(7)}  ${k}`);
