import { connect } from 'node:net';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createTestHub, registerAdmin, registerUser, TestHub } from './helpers/hub.js';
import { RelayGateway } from '../src/relay/tunnel/gateway.js';
import { RateLimitService } from '../src/common/rate-limit.service.js';
import { jest } from '@jest/globals';
import { pairServer } from './helpers/servers.js';
import { hubUrl, sleep, startAgent, startOrigin } from './helpers/relay.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

/** Open a socket, write `parts` (pausing `gapMs` between them), collect what comes back until the hub closes. */
function rawSession(
  port: number,
  parts: string[],
  o: { gapMs?: number; maxMs?: number } = {},
): Promise<{ text: string; closedAfterMs: number; closedByHub: boolean }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let text = '';
    let done = false;
    const s = connect(port, '127.0.0.1');
    const finish = (byHub: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(cap);
      s.destroy();
      resolve({ text, closedAfterMs: Date.now() - t0, closedByHub: byHub });
    };
    const cap = setTimeout(() => finish(false), o.maxMs ?? 20_000);
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
    s.on('connect', async () => {
      for (const p of parts) {
        if (done) return;
        s.write(p);
        if (o.gapMs) await sleep(o.gapMs);
      }
    });
  });
}
const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('timeouts on the main port and the relay port (item: slow and silent connections)', () => {
  let hub: TestHub;
  const port = () => (hub.server.address() as { port: number }).port;
  const relayPort = () => hub.get(RelayGateway).relayPortAddress()!.port;
  beforeAll(async () => {
    hub = await createTestHub({
      listen: true,
      env: {
        HUB_HTTP_HEADERS_TIMEOUT: '1',
        HUB_HTTP_IDLE_TIMEOUT: '2',
        HUB_HTTP_REQUEST_TIMEOUT: '2',
        HUB_HTTP_KEEPALIVE_TIMEOUT: '1',
        HUB_WS_HANDSHAKE_TIMEOUT: '1',
      },
    });
  });
  afterAll(async () => {
    await hub.close();
  });

  test.each([
    ['main port', port],
    ['relay port', relayPort],
  ])('%s: half-sent headers, then silence → 408 {error, code} and closed within the headers timeout', async (_n, p) => {
    const r = await rawSession(p(), ['GET /health HTTP/1.1\r\nHost: hub.test\r\nX-Slow: 1\r\n']);
    expect(r.closedByHub).toBe(true);
    expect(r.closedAfterMs).toBeLessThan(9000);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(r.text)).toEqual({ error: expect.any(String), code: 'request.timeout' });
  });

  test.each([
    ['main port', port],
    ['relay port', relayPort],
  ])('%s: a connection that sends nothing is closed within the header/idle timeouts', async (_n, p) => {
    const r = await rawSession(p(), []);
    expect(r.closedByHub).toBe(true);
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(r.closedAfterMs).toBeLessThan(9000);
  });

  test('main port: headers trickled a byte at a time never outlive the headers timeout', async () => {
    const req = 'GET /health HTTP/1.1\r\nHost: hub.test\r\nX-Padding: ' + 'a'.repeat(100) + '\r\n\r\n';
    const r = await rawSession(port(), [...req], { gapMs: 50 });
    expect(r.closedByHub).toBe(true);
    expect(r.closedAfterMs).toBeLessThan(9000);
    expect(r.text).not.toMatch(/"status":"ok"/);
  });

  test('main port: an API body trickled slowly is cut at the request timeout (its socket is never idle)', async () => {
    const head =
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: hub.test\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"username":"';
    const r = await rawSession(port(), [head, ...Array.from({ length: 40 }, () => 'a'.repeat(10))], { gapMs: 250 });
    expect(r.closedByHub).toBe(true);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(r.text)).toEqual({ error: expect.any(String), code: 'request.timeout' });
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(1800);
    expect(r.closedAfterMs).toBeLessThan(9000);
  });

  test('a WebSocket upgrade that cannot complete (the connect limiter hangs) is closed at the handshake timeout', async () => {
    const spy = jest.spyOn(hub.get(RateLimitService), 'hit').mockImplementation(() => new Promise(() => undefined));
    try {
      const upgrade =
        'GET /api/v1/relay/tunnel HTTP/1.1\r\nHost: hub.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
      const r = await rawSession(port(), [upgrade]);
      expect(r.closedByHub).toBe(true);
      expect(r.closedAfterMs).toBeGreaterThanOrEqual(900);
      expect(r.closedAfterMs).toBeLessThan(9000);
      expect(r.text).not.toMatch(/101 Switching/);
    } finally {
      spy.mockRestore();
    }
  });

  test('a kept-alive connection is closed after the keep-alive timeout; a complete request is answered normally', async () => {
    const r = await rawSession(port(), ['GET /health/live HTTP/1.1\r\nHost: hub.test\r\n\r\n']);
    expect(r.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.text).toMatch(/Keep-Alive: timeout=1/i);
    expect(r.closedByHub).toBe(true);
    expect(r.closedAfterMs).toBeLessThan(9000);
  });
});

describe('long relayed streams are not cut by the API timeouts', () => {
  let hub: TestHub;
  let agent: RelayAgent | undefined;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  beforeAll(async () => {
    hub = await createTestHub({
      listen: true,
      env: { HUB_HTTP_HEADERS_TIMEOUT: '1', HUB_HTTP_IDLE_TIMEOUT: '1', HUB_HTTP_REQUEST_TIMEOUT: '1' },
    });
    origin = await startOrigin((req, res) => {
      if (req.url?.endsWith('/upload')) {
        let n = 0;
        req.on('data', (c: Buffer) => (n += c.length));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ received: n }));
        });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(1000, 1));
      setTimeout(() => res.end(Buffer.alloc(1000, 2)), 2500); // silent for longer than every timeout above
    });
  });
  afterAll(async () => {
    await agent?.stop();
    await hub.close();
    await origin.close();
  });

  test('a download that pauses 2.5 s and an upload trickled over 3 s both complete', async () => {
    const admin = await registerAdmin(hub);
    const paired = await pairServer(hub, admin);
    agent = await startAgent(hub, paired, origin.url);
    const url = new URL(`${hubUrl(hub)}/api/v1/servers/${paired.serverId}/proxy/`);
    const send = (path: string, method: string, chunks: Buffer[]) =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname + path, method, headers: admin.auth },
          (res: IncomingMessage) => {
            const parts: Buffer[] = [];
            res.on('data', (c: Buffer) => parts.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        void (async () => {
          for (const c of chunks) {
            req.write(c);
            await sleep(500);
          }
          req.end();
        })();
      });
    const down = await send('movie.bin', 'GET', []);
    expect(down.status).toBe(200);
    expect(down.body.length).toBe(2000);
    const up = await send(
      'upload',
      'POST',
      Array.from({ length: 6 }, () => Buffer.alloc(1000, 3)),
    );
    expect(up.status).toBe(200);
    expect(JSON.parse(up.body.toString())).toEqual({ received: 6000 });
  });
});

describe('every error has our shape (item: framework errors)', () => {
  let hub: TestHub;
  const port = () => (hub.server.address() as { port: number }).port;
  beforeAll(async () => {
    hub = await createTestHub({ listen: true });
  });
  afterAll(async () => {
    await hub.close();
  });

  test('an over-long path parameter → 414 request.uri_too_long, the URL not echoed', async () => {
    const marker = 'EchoMarker' + 'x'.repeat(600);
    const r = await hub.http().get(`/api/v1/admin/users/${marker}`);
    expect(r.status).toBe(414);
    expect(r.body).toEqual({ error: expect.any(String), code: 'request.uri_too_long' });
    expect(r.text).not.toContain('EchoMarker');
  });

  test('a malformed URL → 400 request.bad_url, the URL not echoed', async () => {
    const r = await rawSession(port(), [
      'GET /api/v1/admin/users/EchoMarker%zz HTTP/1.1\r\nHost: hub.test\r\nConnection: close\r\n\r\n',
    ]);
    expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(r.text)).toEqual({ error: expect.any(String), code: 'request.bad_url' });
    expect(r.text).not.toContain('EchoMarker');
  });

  test.each([
    {
      name: 'a header line without a colon',
      status: 400,
      code: 'request.malformed',
      raw: 'GET / HTTP/1.1\r\nHost: hub.test\r\nEchoMarker\r\n\r\n',
    },
    {
      name: 'a bad HTTP version',
      status: 400,
      code: 'request.malformed',
      raw: 'GET /EchoMarker HTTP/9.9\r\nHost: hub.test\r\n\r\n',
    },
    {
      name: 'oversized headers',
      status: 431,
      code: 'request.headers_too_large',
      raw: `GET / HTTP/1.1\r\nHost: hub.test\r\nX-Big: ${'EchoMarker'.repeat(2000)}\r\n\r\n`,
    },
  ])('$name (Node clientError) → $status $code', async ({ raw, status, code }) => {
    const r = await rawSession(port(), [raw]);
    expect(r.text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(bodyOf(r.text)).toEqual({ error: expect.any(String), code });
    expect(r.text).not.toContain('EchoMarker');
    expect(r.text).not.toMatch(/Client Error|"message"/);
  });
});

describe('deeply nested JSON (item: stack overflow in validation)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

  test.each([
    ['arrays in a field', (n: number) => `{"username":${arrays(n)},"password":"x"}`],
    ['objects in a field', (n: number) => `{"username":"u","password":"x","x":${objects(n)}}`],
    ['a bare nested array', arrays],
  ])(
    '%s under 1 MB → 400 request.too_deep on an unauthenticated route and on a signed-in DTO route',
    async (_n, make) => {
      const body = make(150_000);
      expect(body.length).toBeLessThan(1_048_576);
      const login = await hub.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(body);
      expect([login.status, login.body.code]).toEqual([400, 'request.too_deep']);
      expect(login.body).toEqual({ error: expect.any(String), code: 'request.too_deep' });
      const u = await registerUser(hub);
      const share = await hub
        .http()
        .post('/api/v1/me/shares')
        .set(u.auth)
        .set('content-type', 'application/json')
        .send(body);
      expect([share.status, share.body.code]).toEqual([400, 'request.too_deep']);
    },
  );

  test('ordinary nesting still reaches validation', async () => {
    const r = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody_x', password: 'wrong-password', extra: { a: { b: { c: [1, [2, [3]]] } } } });
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
  });
});
