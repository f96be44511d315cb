// Measurements of the relay bench: one big download, Range seeks, many paced streams; CPU and memory of pids.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { PATTERN, PATTERN_SIZE, expected } from './pattern.mjs';

const TICK = 100; // Linux USER_HZ

/** [utime, stime] of a process, in seconds. */
export function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [Number(f[11]) / TICK, Number(f[12]) / TICK];
}

/** CPU % (of one core) per process since the call; `<name>Sys` = the kernel part. */
export function cpuMeter(pids) {
  const t0 = performance.now();
  const c0 = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuSeconds(p)]));
  return () => {
    const s = (performance.now() - t0) / 1000;
    const out = {};
    for (const [k, p] of Object.entries(pids)) {
      const [u, sy] = cpuSeconds(p);
      out[k] = +((100 * (u + sy - c0[k][0] - c0[k][1])) / s).toFixed(0);
      out[`${k}Sys`] = +((100 * (sy - c0[k][1])) / s).toFixed(0);
    }
    return out;
  };
}

export const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Download `url` completely, checking a byte per chunk against the pattern. */
export async function download(url, headers, size) {
  const t0 = performance.now();
  const res = await get(url, headers);
  if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}`);
  let pos = 0;
  let bad = 0;
  for await (const c of res) {
    if (c[0] !== PATTERN[pos % PATTERN_SIZE] || c[c.length - 1] !== PATTERN[(pos + c.length - 1) % PATTERN_SIZE]) bad++;
    pos += c.length;
  }
  const s = (performance.now() - t0) / 1000;
  if (pos !== size || bad) throw new Error(`${url}: got ${pos} of ${size} bytes, ${bad} bad chunks`);
  return { seconds: +s.toFixed(2), gbps: +((pos * 8) / s / 1e9).toFixed(2) };
}

/** `clients` loops of random Range requests (`span` bytes) for `seconds`; every byte is compared. */
export async function seek(url, headers, size, { seconds, clients = 4, span = 256 * 1024 }) {
  const lat = [];
  let errors = 0;
  let bytes = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const start = Math.floor(Math.random() * (size - span));
        const t0 = performance.now();
        try {
          const res = await get(url, { ...headers, Range: `bytes=${start}-${start + span - 1}` });
          const chunks = [];
          for await (const c of res) chunks.push(c);
          const body = Buffer.concat(chunks);
          const ok =
            res.statusCode === 206 &&
            res.headers['content-range'] === `bytes ${start}-${start + span - 1}/${size}` &&
            body.length === span &&
            body.equals(expected(start, span));
          if (!ok) errors++;
          bytes += body.length;
          lat.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return {
    requests: lat.length,
    errors,
    perSecond: +(lat.length / seconds).toFixed(0),
    p50ms: +pct(lat, 50).toFixed(1),
    p99ms: +pct(lat, 99).toFixed(1),
    mbps: +((bytes * 8) / seconds / 1e6).toFixed(0),
  };
}

/**
 * `n` concurrent streams (started `staggerMs` apart) read for `seconds`, each played back by a
 * model player at `rateBps` that starts `prerollS` after the first byte: a stall is any moment the
 * bytes received fall behind what that player has consumed. Also per stream: time to first byte,
 * the longest gap between chunks, the rate over the steady part (after `warmS`).
 */
export async function streams(targets, n, { seconds, rateBps, prerollS = 1, staggerMs = 2, warmS = 5 }) {
  const perMs = rateBps / 8 / 1000;
  const st = [];
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const reqs = [];
  for (let i = 0; i < n; i++) {
    const t = targets[i % targets.length];
    const s = {
      ttfb: null,
      first: 0,
      maxGap: 0,
      bytes: 0,
      warmBytes: 0,
      warmAt: null,
      last: 0,
      error: null,
      status: 0,
      behindMs: 0,
    };
    st.push(s);
    const t0 = performance.now();
    const req = request(t.url, { headers: t.headers, agent: false }, (res) => {
      s.status = res.statusCode;
      res.on('data', (c) => {
        const now = performance.now();
        if (s.ttfb === null) {
          s.ttfb = now - t0;
          s.first = now;
          s.warmAt = now + warmS * 1000;
        } else {
          s.maxGap = Math.max(s.maxGap, now - s.last);
          s.behindMs = Math.max(s.behindMs, behind(s, now));
        }
        s.last = now;
        s.bytes += c.length;
        if (now >= s.warmAt) s.warmBytes += c.length;
      });
      res.on('error', (e) => (s.error ??= e.code ?? e.message));
    });
    req.on('error', (e) => (s.error ??= e.code ?? e.message));
    req.end();
    reqs.push(req);
    if (staggerMs) await new Promise((r) => setTimeout(r, staggerMs));
  }
  await new Promise((r) => setTimeout(r, Math.max(0, stopAt - performance.now())));
  const now = performance.now();
  for (const s of st) {
    if (s.ttfb === null) continue;
    s.maxGap = Math.max(s.maxGap, now - s.last); // silent until the end counts too
    s.behindMs = Math.max(s.behindMs, behind(s, now));
  }
  for (const r of reqs) r.destroy();
  /** how far (ms of playback) the model player would be starved at `now`; 0 = not behind */
  function behind(s, now) {
    const consumed = perMs * (now - s.first - prerollS * 1000);
    return consumed > s.bytes ? (consumed - s.bytes) / perMs : 0;
  }
  const got = st.filter((s) => s.ttfb !== null && s.status === 200);
  const rates = got.filter((s) => s.warmAt < now).map((s) => (s.warmBytes * 8) / ((now - s.warmAt) / 1000) / 1e6);
  const statuses = {};
  for (const s of st) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return {
    streams: n,
    seconds,
    started: got.length,
    failed: n - got.length,
    statuses,
    errors: [...new Set(st.map((s) => s.error).filter(Boolean))],
    stalls: got.filter((s) => s.behindMs > 0).length + (n - got.length),
    worstBehindMs: +Math.max(0, ...got.map((s) => s.behindMs)).toFixed(0),
    worstGapMs: +Math.max(0, ...got.map((s) => s.maxGap)).toFixed(0),
    ttfbP50ms: got.length
      ? +pct(
          got.map((s) => s.ttfb),
          50,
        ).toFixed(0)
      : null,
    ttfbP99ms: got.length
      ? +pct(
          got.map((s) => s.ttfb),
          99,
        ).toFixed(0)
      : null,
    rateMbpsMin: rates.length ? +Math.min(...rates).toFixed(2) : null,
    rateMbpsP50: rates.length ? +pct(rates, 50).toFixed(2) : null,
    aggregateGbps: +((got.reduce((a, s) => a + s.bytes, 0) * 8) / ((now - started) / 1000) / 1e9).toFixed(2),
  };
}
