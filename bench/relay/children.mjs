// Child processes of the relay bench (bench/relay.mjs), one role each so CPU use is per role:
//   node bench/relay/children.mjs origin               HTTP origin: /file?size=N (deterministic bytes, Range → 206)
//   node bench/relay/children.mjs pipe <originPort>    plain TCP pipe in front of the origin (the baseline limit)
//   node bench/relay/children.mjs agents <fixture.json>  N relay agents (dist/agent), one tunnel each
// Each prints one JSON line {"ready":true,...} on stdout when it serves, and exits on SIGTERM.
import { createServer } from 'node:http';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATTERN, PATTERN_SIZE } from './pattern.mjs';

const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const role = process.argv[2];
process.on('SIGTERM', () => process.exit(0)); // exit() still writes --cpu-prof profiles

if (role === 'origin') {
  const DOUBLE = Buffer.concat([PATTERN, PATTERN]);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://o');
    const size = Number(url.searchParams.get('size') ?? PATTERN_SIZE);
    let start = 0;
    let end = size - 1;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      res.writeHead(206, {
        'content-type': 'video/mp4',
        'accept-ranges': 'bytes',
        'content-range': `bytes ${start}-${end}/${size}`,
        'content-length': String(end - start + 1),
      });
    } else {
      res.writeHead(200, { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-length': String(size) });
    }
    let pos = start;
    const pump = () => {
      while (pos <= end) {
        const off = pos % PATTERN_SIZE;
        const n = Math.min(PATTERN_SIZE - off, end - pos + 1, 256 * 1024);
        const chunk = DOUBLE.subarray(off, off + n);
        pos += n;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (pos = end + 1));
    pump();
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => say({ ready: true, port: server.address().port }));
} else if (role === 'pipe') {
  const target = Number(process.argv[3]);
  const server = net.createServer((c) => {
    const up = net.connect(target, '127.0.0.1');
    c.pipe(up).pipe(c);
    const kill = () => {
      c.destroy();
      up.destroy();
    };
    c.on('error', kill);
    up.on('error', kill);
  });
  server.listen(0, '127.0.0.1', () => say({ ready: true, port: server.address().port }));
} else if (role === 'agents') {
  const fx = JSON.parse(readFileSync(process.argv[3], 'utf8'));
  const dist = (p) => new URL(`../../dist/${p}`, import.meta.url).href;
  const { RelayAgent } = await import(dist('agent/relay-agent.js'));
  const { AgentState } = await import(dist('agent/agent-state.js'));
  const root = mkdtempSync(join(tmpdir(), 'phlix-bench-agents-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const agents = [];
  let up = 0;
  const t0 = Date.now();
  await Promise.all(
    fx.servers.map(async (s, i) => {
      const dir = join(root, `a${i}`);
      AgentState.open(dir).setEnrollment({
        hubBaseUrl: fx.hub,
        serverId: s.id,
        enrollmentJwt: s.jwt,
        enrolledAt: Date.now(),
      });
      const a = new RelayAgent({
        hubUrl: fx.hub,
        origin: fx.origin,
        dataDir: dir,
        reconnectBaseMs: 200,
        reconnectMaxMs: 2000,
        log: () => undefined,
      });
      a.on('tunnel-up', () => {
        up++;
      });
      a.on('tunnel-down', (why) => {
        up--;
        process.stderr.write(`agent ${i} tunnel down: ${why}\n`);
      });
      agents.push(a);
      await a.start();
    }),
  );
  const deadline = Date.now() + 60_000;
  while (up < fx.servers.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  say({ ready: up === fx.servers.length, agents: fx.servers.length, up, connectMs: Date.now() - t0 });
} else {
  process.stderr.write('usage: children.mjs origin | pipe <port> | agents <fixture.json>\n');
  process.exit(2);
}
