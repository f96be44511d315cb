import { createServer, type Server, type Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { BODY_FRAME_OFFSET } from '../relay/codec/index.js';
import { OriginPool, type ExchangeSink } from './origin-conn.js';
import type { ResponseHead } from './http1-response.js';

/** A raw TCP origin: `answer` gets each request's head text and body bytes and writes what it likes. */
function rawOrigin(answer: (sock: Socket, head: string, body: Buffer) => void) {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((sock) => {
    connections++;
    sockets.add(sock);
    let acc = Buffer.alloc(0);
    sock.on('data', (d) => {
      acc = Buffer.concat([acc, d]);
      for (;;) {
        const end = acc.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = acc.subarray(0, end).toString('latin1');
        const cl = /content-length: (\d+)/i.exec(head);
        let body: Buffer;
        let used: number;
        if (/transfer-encoding: chunked/i.test(head)) {
          const parts: Buffer[] = [];
          let at = end + 4;
          for (;;) {
            const nl = acc.indexOf('\r\n', at);
            if (nl < 0) return;
            const n = parseInt(acc.subarray(at, nl).toString(), 16);
            if (acc.length < nl + 2 + n + 2) return;
            parts.push(acc.subarray(nl + 2, nl + 2 + n));
            at = nl + 2 + n + 2;
            if (n === 0) break;
          }
          body = Buffer.concat(parts);
          used = at;
        } else {
          const n = cl ? Number(cl[1]) : 0;
          if (acc.length < end + 4 + n) return;
          body = acc.subarray(end + 4, end + 4 + n);
          used = end + 4 + n;
        }
        acc = acc.subarray(used);
        answer(sock, head, Buffer.from(body));
      }
    });
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
  });
  return new Promise<{ port: number; connections: () => number; close: () => Promise<void> }>((res) =>
    server.listen(0, '127.0.0.1', () =>
      res({
        port: (server.address() as { port: number }).port,
        connections: () => connections,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

interface Result {
  head: ResponseHead;
  body: Buffer;
  framedPieces: number;
}

/** Runs one exchange; the sink takes every framed piece (as the tunnel does) and may pause. */
function fetchVia(
  pool: OriginPool,
  method: string,
  path: string,
  { upload, pauseEvery = 0 }: { upload?: Buffer[]; pauseEvery?: number } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    let head!: ResponseHead;
    const kept: Buffer[] = [];
    let framedPieces = 0;
    let pieces = 0;
    const sink: ExchangeSink = {
      onHead: (h) => (head = h),
      onBody: (view, framed) => {
        pieces++;
        if (framed) {
          framedPieces++;
          const frame = ex.takeFrame();
          expect(view.byteOffset - frame.byteOffset).toBe(BODY_FRAME_OFFSET);
          kept.push(view); // kept without a copy: later reads must not overwrite it
        } else {
          kept.push(Buffer.from(view));
        }
        if (pauseEvery && pieces % pauseEvery === 0) {
          ex.pause();
          setTimeout(() => ex.resume(), 5);
        }
      },
      onEnd: () => resolve({ head, body: Buffer.concat(kept), framedPieces }),
      onError: reject,
      onDrain: () => undefined,
    };
    const ex = pool.exchange({ method, path, headers: { Host: 'origin' } }, sink);
    for (const u of upload ?? []) ex.write(u);
    ex.end();
  });
}

const BIG = randomBytes(3 * 1024 * 1024 + 17);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a large body of known length arrives intact in frames taken without copies, with pauses', async () => {
  const o = await rawOrigin((sock) => {
    sock.write(`HTTP/1.1 200 OK\r\nContent-Length: ${BIG.length}\r\n\r\n`);
    sock.write(BIG);
  });
  try {
    const pool = new OriginPool('127.0.0.1', o.port);
    const r = await fetchVia(pool, 'GET', '/big', { pauseEvery: 7 });
    expect(r.head.status).toBe(200);
    expect(sha(r.body)).toBe(sha(BIG));
    expect(r.framedPieces).toBeGreaterThan(10);
  } finally {
    await o.close();
  }
});

test('keep-alive: sequential requests share one connection; Connection: close ends it', async () => {
  let n = 0;
  const o = await rawOrigin((sock, head) => {
    const last = head.startsWith('GET /last');
    sock.write(
      `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${last ? 'Connection: close\r\n' : ''}\r\n${String(n++ % 100).padStart(2, '0')}`,
    );
  });
  try {
    const pool = new OriginPool('127.0.0.1', o.port);
    for (let i = 0; i < 5; i++) expect((await fetchVia(pool, 'GET', '/a')).body.toString()).toBe(`0${i}`);
    expect(o.connections()).toBe(1);
    expect(pool.idleCount).toBe(1);
    await fetchVia(pool, 'GET', '/last');
    expect(pool.idleCount).toBe(0);
    await fetchVia(pool, 'GET', '/a');
    expect(o.connections()).toBe(2);
  } finally {
    await o.close();
  }
});

test('a kept-alive connection the origin closed meanwhile is replaced, and the request still succeeds', async () => {
  const o = await rawOrigin((sock) => {
    sock.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    setTimeout(() => sock.destroy(), 10); // like a server whose keep-alive timeout is short
  });
  try {
    const pool = new OriginPool('127.0.0.1', o.port);
    await fetchVia(pool, 'GET', '/1');
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetchVia(pool, 'GET', '/2')).body.toString()).toBe('ok');
    expect(o.connections()).toBe(2);
  } finally {
    await o.close();
  }
});

test('an upload without a length goes out chunked; with one, as it is; an empty POST says Content-Length: 0', async () => {
  const seen: { head: string; body: string }[] = [];
  const o = await rawOrigin((sock, head, body) => {
    seen.push({ head, body: body.toString() });
    sock.write('HTTP/1.1 204 No Content\r\n\r\n');
  });
  try {
    const pool = new OriginPool('127.0.0.1', o.port);
    await fetchVia(pool, 'POST', '/up', { upload: [Buffer.from('hello '), Buffer.from('world')] });
    await fetchVia(pool, 'POST', '/empty');
    expect(seen[0]!.head).toMatch(/^POST \/up HTTP\/1\.1\r\nHost: origin\r\nTransfer-Encoding: chunked$/);
    expect(seen[0]!.body).toBe('hello world');
    expect(seen[1]!.head).toMatch(/Content-Length: 0$/);
    expect(o.connections()).toBe(1);
  } finally {
    await o.close();
  }
});

test('a refused connection and a malformed answer are errors, and the broken connection is not kept', async () => {
  const o = await rawOrigin((sock) => sock.write('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n'));
  const port = o.port;
  try {
    const pool = new OriginPool('127.0.0.1', port);
    await expect(fetchVia(pool, 'GET', '/')).rejects.toThrow(/Content-Length/);
    expect(pool.idleCount).toBe(0);
  } finally {
    await o.close();
  }
  await expect(fetchVia(new OriginPool('127.0.0.1', port), 'GET', '/')).rejects.toThrow(/ECONNREFUSED/);
});
