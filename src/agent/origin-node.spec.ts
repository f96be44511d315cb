import { createServer, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeExchange } from './origin-node.js';
import type { ExchangeSink } from './origin-conn.js';
import type { ResponseHead } from './http1-response.js';

/** The adapter over Node's client (used for HTTPS origins), driven here over plain HTTP. */
function run(url: URL, method: string, upload: Buffer[] = []) {
  return new Promise<{ head: ResponseHead; body: string }>((resolve, reject) => {
    let head!: ResponseHead;
    const parts: Buffer[] = [];
    const sink: ExchangeSink = {
      onHead: (h) => (head = h),
      onBody: (v, framed) => {
        expect(framed).toBe(false);
        parts.push(v);
      },
      onEnd: () => resolve({ head, body: Buffer.concat(parts).toString() }),
      onError: reject,
      onDrain: () => undefined,
    };
    const ex = nodeExchange(
      url,
      new Agent({ keepAlive: true }),
      { method, path: url.pathname, headers: { Host: url.host } },
      sink,
    );
    expect(ex.borrowed).toBe(false);
    for (const u of upload) ex.write(u);
    ex.end();
  });
}

test('streams a response and an upload through Node’s client; a refused connection is an error', async () => {
  const server = createServer((req, res) => {
    const got: Buffer[] = [];
    req.on('data', (c: Buffer) => got.push(c));
    req.on('end', () => {
      res.writeHead(201, { 'X-Method': req.method });
      res.end(`${req.method} ${req.url} ${Buffer.concat(got).toString()}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/p`);
  try {
    const r = await run(url, 'POST', [Buffer.from('a'), Buffer.from('b')]);
    expect(r.head.status).toBe(201);
    expect(r.head.rawHeaders).toContain('X-Method');
    expect(r.body).toBe('POST /p ab');
  } finally {
    await new Promise((r) => server.close(r));
  }
  await expect(run(url, 'GET')).rejects.toThrow(/ECONNREFUSED/);
});
