import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { WriteBatch } from './write-batch.js';

const turn = () => new Promise((res) => setImmediate(res));

describe('WriteBatch', () => {
  it('corks once per turn of the event loop and uncorks after the turn', async () => {
    const calls: string[] = [];
    const b = new WriteBatch({ cork: () => calls.push('cork'), uncork: () => calls.push('uncork') });
    b.add();
    b.add();
    b.add();
    expect(calls).toEqual(['cork']);
    await turn();
    expect(calls).toEqual(['cork', 'uncork']);
    b.add();
    await turn();
    expect(calls).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });

  it('sends the writes of one turn to a real socket in one system call, in order', async () => {
    const got: Buffer[] = [];
    const server = createServer((s) => s.on('data', (d) => got.push(d)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const sock: Socket = connect(port, '127.0.0.1');
    await once(sock, 'connect');
    const internals = sock as unknown as { _writev: (...a: unknown[]) => void; _write: (...a: unknown[]) => void };
    const writes: number[] = [];
    const writev = internals._writev.bind(sock);
    const write = internals._write.bind(sock);
    internals._writev = (chunks: unknown, cb: unknown) => (
      writes.push((chunks as unknown[]).length),
      writev(chunks, cb)
    );
    internals._write = (c: unknown, e: unknown, cb: unknown) => (writes.push(1), write(c, e, cb));
    const b = new WriteBatch(sock);
    for (const part of ['one ', 'two ', 'three']) {
      b.add();
      sock.write(part);
    }
    expect(sock.writableLength).toBe(13); // still held: back-pressure checks see it
    await turn();
    expect(writes).toEqual([3]);
    sock.end();
    await once(sock, 'close');
    await new Promise((res) => server.close(res));
    expect(Buffer.concat(got).toString()).toBe('one two three');
  });
});
