import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAIL_BAD, writeFailure } from './stream-failures.js';

describe('writeFailure', () => {
  let server: Server;
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  test('after a response head that failed to be written, the failure has its own reason phrase (never "502 OK")', async () => {
    server = createServer((_req, res) => {
      try {
        res.writeHead(200, { 'x-bad': 'not latin-1 ★' }); // throws ERR_INVALID_CHAR after setting "OK"
      } catch {
        writeFailure(res, FAIL_BAD);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const got = await new Promise<{ status?: number; message?: string; body: string }>((resolve, reject) => {
      get({ port, host: '127.0.0.1', path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, message: res.statusMessage, body }));
      }).on('error', reject);
    });
    expect(got.status).toBe(502);
    expect(got.message).toBe('Bad Gateway');
    expect(JSON.parse(got.body)).toEqual({ error: FAIL_BAD.message, code: 'relay.bad_gateway' });
  });
});
