/**
 * Reading tunnel frames ahead of `ws`: binary payload comes out unmasked for any split of the
 * reads, text and control frames reach `ws` byte for byte, and broken framing is refused.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { readAhead, WsInbound, type InboundSink } from './ws-inbound.js';

function frame(opcode: number, payload: Buffer, o: { fin?: boolean; mask?: Buffer | null; rsv?: number } = {}): Buffer {
  const fin = o.fin ?? true;
  const mask = o.mask === undefined ? randomBytes(4) : o.mask;
  const n = payload.length;
  const ext = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = (fin ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? n : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(n, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(n), 2);
  if (!mask) return Buffer.concat([head, payload]);
  mask.copy(head, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < n; i++) body[i] ^= mask[i & 3]!;
  return Buffer.concat([head, body]);
}

function reader(max = 1 << 20) {
  const data: Buffer[] = [];
  const passed: Buffer[] = [];
  const violations: [number, string][] = [];
  const sink: InboundSink = { data: (b) => data.push(Buffer.from(b)), violation: (c, r) => violations.push([c, r]) };
  const r = new WsInbound((raw) => (passed.push(Buffer.from(raw)), true), sink, max);
  return { r, data, passed, violations, joined: () => Buffer.concat(data), raw: () => Buffer.concat(passed) };
}

const pattern = (n: number, k = 0) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + k) & 0xff));

describe('WsInbound', () => {
  const a = pattern(300, 1);
  const b = pattern(70000, 2);
  const text = frame(0x1, Buffer.from('{"type":"HELLO"}'));
  const ping = frame(0x9, Buffer.from('p'));
  const stream = Buffer.concat([
    frame(0x2, a),
    text,
    frame(0x2, b.subarray(0, 1000), { fin: false }),
    ping,
    frame(0x0, b.subarray(1000, 1001), { fin: false }),
    frame(0x0, b.subarray(1001), { fin: true }),
    frame(0x2, Buffer.alloc(0)),
    frame(0x2, pattern(5), { mask: Buffer.alloc(4) }),
  ]);
  const wantData = Buffer.concat([a, b, pattern(5)]);

  it('unmasks binary payload and passes text and control frames unchanged, for every split of the reads', () => {
    for (let cut = 0; cut <= stream.length; cut += cut < 400 ? 1 : 997) {
      const t = reader();
      t.r.push(Buffer.from(stream.subarray(0, cut)));
      t.r.push(Buffer.from(stream.subarray(cut)));
      expect(t.violations).toEqual([]);
      expect(t.joined().equals(wantData)).toBe(true);
      expect(t.raw().equals(Buffer.concat([text, ping]))).toBe(true);
    }
  });

  it('keeps the mask phase across reads of one byte', () => {
    const t = reader();
    const bytes = frame(0x2, pattern(40, 9));
    for (const byte of bytes) t.r.push(Buffer.of(byte));
    expect(t.joined().equals(pattern(40, 9))).toBe(true);
  });

  it.each([
    ['an unmasked frame', 1002, frame(0x2, pattern(4), { mask: null })],
    ['RSV bits', 1002, frame(0x2, pattern(4), { rsv: 4 })],
    ['an unknown opcode', 1002, frame(0x3, pattern(4))],
    ['a continuation outside a message', 1002, frame(0x0, pattern(4))],
    ['a fragmented ping', 1002, frame(0x9, pattern(4), { fin: false })],
    ['a control frame over 125 bytes', 1002, frame(0xa, pattern(126))],
    [
      'a new message inside a fragmented one',
      1002,
      Buffer.concat([frame(0x2, pattern(4), { fin: false }), frame(0x2, pattern(4))]),
    ],
    [
      'a message over the limit, across fragments',
      1009,
      Buffer.concat([frame(0x2, pattern(600), { fin: false }), frame(0x0, pattern(600))]),
    ],
  ])('refuses %s (close %i) and reads nothing after it', (_what, code, bytes) => {
    const t = reader(1000);
    t.r.push(Buffer.concat([bytes, frame(0x2, pattern(3))]));
    expect(t.violations.map((v) => v[0])).toEqual([code]);
    t.r.push(frame(0x2, pattern(3)));
    expect(t.data.every((d) => d.length !== 3)).toBe(true);
  });
});

describe('readAhead on a real ws server socket', () => {
  let server: Server;
  let url: string;
  let sockets: { data: Buffer[]; texts: string[]; closed: Promise<number>; installed: boolean }[];

  beforeAll(async () => {
    sockets = [];
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
    server = createServer();
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        const s = {
          data: [] as Buffer[],
          texts: [] as string[],
          closed: new Promise<number>((res) => ws.on('close', res)),
          installed: false,
        };
        s.installed = readAhead(
          ws,
          { data: (d) => s.data.push(Buffer.from(d)), violation: (c) => ws.close(c) },
          1 << 20,
        );
        ws.on('message', (m, isBinary) =>
          isBinary ? s.data.push(Buffer.from('ws saw binary')) : s.texts.push(m.toString()),
        );
        sockets.push(s);
      }),
    );
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((res) => server.close(() => res())));

  it('gets binary bytes itself while ws keeps text, ping/pong and the closing handshake', async () => {
    const c = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((res) => c.once('open', res));
    const big = pattern(300_000, 3);
    c.send('hello');
    c.send(big);
    c.send(big.subarray(0, 10), { fin: false });
    c.send(big.subarray(10, 20), { fin: true });
    const pong = new Promise((res) => c.once('pong', res));
    c.ping();
    await pong;
    c.close(1000);
    const s = sockets[0]!;
    expect(await s.closed).toBe(1000);
    expect(s.installed).toBe(true);
    expect(s.texts).toEqual(['hello']);
    expect(Buffer.concat(s.data).equals(Buffer.concat([big, big.subarray(0, 20)]))).toBe(true);
  });
});
