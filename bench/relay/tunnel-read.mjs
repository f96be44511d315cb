#!/usr/bin/env node
// The hub's read side of a tunnel alone, loopback, bounded (≈ 1 min): a sender child sends --gib GiB of 64 KiB
// HTTP_RESPONSE BODY frames, one per WebSocket message, as the agent does (zero mask); this process receives them
// (a) as `ws` messages decoded by FrameDecoder, (b) read ahead of `ws` (ws-inbound.ts) by PieceDecoder, alternating
// --rounds times, and prints this process's CPU-seconds per GiB for each. Nothing is written anywhere: what differs
// is only the reading, which the full relay bench cannot show on a busy box.
//   npm run build:hub && node bench/relay/tunnel-read.mjs [--gib 2] [--rounds 3]
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { FrameDecoder, FrameType, encodeFrame, encodeResponseBody } from '../../dist/relay/codec/index.js';
import { PieceDecoder } from '../../dist/relay/codec/piece-decoder.js';
import { readAhead } from '../../dist/relay/tunnel/ws-inbound.js';

const { values: a } = parseArgs({
  options: {
    gib: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    send: { type: 'string' },
  },
});

if (a.send) {
  // sender child: as many 64 KiB body frames as make --gib, with back-pressure
  const ws = new WebSocket(a.send, { perMessageDeflate: false, generateMask: (m) => m.fill(0) });
  const frame = encodeFrame(FrameType.HTTP_RESPONSE, 0x80000001, encodeResponseBody(Buffer.alloc(65534, 7)));
  let left = Math.ceil((Number(a.gib) * 2 ** 30) / 65534);
  const pump = () => {
    while (left > 0 && ws.bufferedAmount < 4 << 20) {
      ws.send(frame);
      left--;
    }
    if (left > 0) setTimeout(pump, 1);
    else ws.close(1000);
  };
  ws.on('open', pump);
} else {
  let mode = 'ws';
  let done = () => {};
  let bytes = 0;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  const server = createServer();
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      const count = { frame: (_t, _i, p) => (bytes += p.length), body: (_i, _p, n) => (bytes += n + 1) };
      if (mode === 'ahead') {
        const d = new PieceDecoder();
        readAhead(ws, { data: (b) => d.push(b, count), violation: () => ws.close(1002) }, 1 << 20);
      } else {
        const d = new FrameDecoder();
        ws.on('message', (m) => {
          for (const f of d.push(m)) bytes += f.payload.length;
        });
      }
      ws.on('close', () => done());
    }),
  );
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const url = `ws://127.0.0.1:${server.address().port}`;
  const results = { ws: [], ahead: [] };
  for (let r = 0; r < Number(a.rounds); r++) {
    for (const m of ['ahead', 'ws']) {
      mode = m;
      bytes = 0;
      const t0 = process.cpuUsage();
      const w0 = performance.now();
      const closed = new Promise((res) => (done = res));
      const child = fork(new URL(import.meta.url), ['--send', url, '--gib', a.gib]);
      await closed;
      child.kill();
      const c = process.cpuUsage(t0);
      const gib = bytes / 2 ** 30;
      const cpu = (c.user + c.system) / 1e6 / gib;
      results[m].push(cpu);
      console.error(
        `${m}: ${gib.toFixed(2)} GiB, ${cpu.toFixed(3)} CPU-s/GiB, ${((bytes * 8) / ((performance.now() - w0) * 1e6)).toFixed(2)} Gbit/s`,
      );
    }
  }
  const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  console.log(`| reading | CPU-seconds per GiB (median of ${a.rounds}) | rounds |`);
  console.log('|---|---:|---|');
  console.log(
    `| ws messages + FrameDecoder | ${med(results.ws).toFixed(3)} | ${results.ws.map((x) => x.toFixed(3)).join(', ')} |`,
  );
  console.log(
    `| read ahead + PieceDecoder | ${med(results.ahead).toFixed(3)} | ${results.ahead.map((x) => x.toFixed(3)).join(', ')} |`,
  );
  server.close();
}
