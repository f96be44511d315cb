import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, sendHeartbeat, type PairedServer } from './helpers/servers.js';
import { hubUrl, rawRequest, relayHub, startAgent, waitFor, proxyUrl } from './helpers/relay.js';
import { sha256, startTestOrigin, VIDEO, type TestOrigin } from './helpers/relay-origin.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';
import { RelayPresence } from '../src/common/relay-presence.js';

let hub: TestHub;
let owner: TestUser;
let stranger: TestUser;
let origin: TestOrigin;
const agents: RelayAgent[] = [];
const servers: Record<string, PairedServer> = {};

beforeAll(async () => {
  hub = await relayHub({ HUB_RELAY_TTFB_TIMEOUT: '2', HUB_RELAY_STREAM_IDLE_TIMEOUT: '3' });
  owner = await registerUser(hub);
  stranger = await registerUser(hub);
  origin = await startTestOrigin();
  for (const [mode, creditWindow] of [
    ['credit', 1024 * 1024],
    ['plain', 0],
  ] as const) {
    servers[mode] = await pairServer(hub, owner);
    agents.push(await startAgent(hub, servers[mode]!, origin.url, { creditWindow }));
  }
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub.close();
  await origin.close();
});

const proxy = (s: PairedServer, path: string) => proxyUrl(hub, s.serverId, path);

describe.each(['credit', 'plain'])('%s flow control', (mode) => {
  const s = () => servers[mode]!;

  test('tunnel negotiated the expected protocol', () => {
    expect(agents[mode === 'credit' ? 0 : 1]!.tunnel?.creditMode).toBe(mode === 'credit');
  });

  test("GET: status, headers and body pass; identity headers are the hub's, client credentials never reach the server", async () => {
    const r = await rawRequest(proxy(s(), '/echo?a=1&b=%20x'), {
      headers: {
        ...owner.auth,
        Cookie: 'hub=secret',
        'X-Forwarded-For': '6.6.6.6',
        'X-Phlix-Relay-User': 'admin',
        'X-Phlix-Relay-Role': 'owner',
        'X-Custom': 'kept',
        Connection: 'keep-alive, X-Hop',
        'X-Hop': 'gone',
      },
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-origin']).toBe('yes');
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers['content-security-policy']).toMatch(/sandbox/);
    const echo = JSON.parse(r.body.toString());
    expect(echo.method).toBe('GET');
    expect(echo.url).toBe('/echo?a=1&b=%20x');
    expect(echo.headers['x-phlix-relay-user']).toBe(owner.id);
    expect(echo.headers['x-phlix-relay-role']).toBe('owner');
    expect(echo.headers['x-custom']).toBe('kept');
    for (const h of ['authorization', 'cookie', 'x-forwarded-for', 'x-hop']) expect(echo.headers[h]).toBeUndefined();
    expect(echo.rawHeaders).toContain('X-Phlix-Relay-User');
  });

  test('POST with a 10 MiB body streams through intact', async () => {
    const body = randomBytes(10 * 1024 * 1024);
    const r = await rawRequest(proxy(s(), '/upload'), {
      method: 'POST',
      headers: { ...owner.auth, 'content-type': 'application/octet-stream' },
      body,
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({ bytes: body.length, sha256: sha256(body) });
  });

  test('JSON, untyped and chunked request bodies are streamed as bytes, never parsed', async () => {
    const json = await rawRequest(proxy(s(), '/upload'), {
      method: 'POST',
      headers: { ...owner.auth, 'content-type': 'application/json' },
      body: Buffer.from('{"not": json'),
    });
    expect(JSON.parse(json.body.toString())).toEqual({ bytes: 12, sha256: sha256(Buffer.from('{"not": json')) });
    const untyped = await rawRequest(proxy(s(), '/upload'), {
      method: 'PUT',
      headers: owner.auth,
      body: Buffer.from('abc'),
    });
    expect(JSON.parse(untyped.body.toString()).bytes).toBe(3);
    const parts = [randomBytes(70_000), randomBytes(10), randomBytes(200_000)];
    const chunked = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        proxy(s(), '/upload'),
        { method: 'POST', headers: { ...owner.auth, 'transfer-encoding': 'chunked' }, agent: false },
        (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve(b));
        },
      );
      req.on('error', reject);
      for (const p of parts) req.write(p);
      req.end();
    });
    expect(JSON.parse(chunked)).toEqual({ bytes: 270_010, sha256: sha256(Buffer.concat(parts)) });
  });

  test('a 4 MiB download arrives intact with Content-Length', async () => {
    const r = await rawRequest(proxy(s(), '/video.mp4'), { headers: owner.auth });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(VIDEO.length));
    expect(sha256(r.body)).toBe(sha256(VIDEO));
  });

  test('Range → 206 with Content-Range and the exact bytes; HEAD has the length and no body', async () => {
    const r = await rawRequest(proxy(s(), '/video.mp4'), { headers: { ...owner.auth, Range: 'bytes=1000-1999' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 1000-1999/${VIDEO.length}`);
    expect(r.headers['content-length']).toBe('1000');
    expect(r.body.equals(VIDEO.subarray(1000, 2000))).toBe(true);
    const h = await rawRequest(proxy(s(), '/video.mp4'), { method: 'HEAD', headers: owner.auth });
    expect(h.status).toBe(200);
    expect(h.headers['content-length']).toBe(String(VIDEO.length));
    expect(h.body.length).toBe(0);
  });

  test('client disconnect → HTTP_CANCEL → the origin request is closed', async () => {
    const id = `${mode}-${Date.now()}`;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(proxy(s(), `/slow/${id}`), { headers: owner.auth, agent: false }, (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.setTimeout(5000, () => reject(new Error('no data')));
      req.end();
    });
    await waitFor(() => origin.closedSlow.has(id), 5000, 'origin to see the cancel');
    await waitFor(() => hub.get(RelayPresence).activeStreams() === 0, 3000, 'streams to end');
  });

  test('no answer within the time-to-first-byte limit → 504 relay.timeout', async () => {
    const started = Date.now();
    const r = await rawRequest(proxy(s(), '/hang'), { headers: owner.auth });
    expect(r.status).toBe(504);
    expect(JSON.parse(r.body.toString()).code).toBe('relay.timeout');
    expect(Date.now() - started).toBeLessThan(6000);
  });
});

test('bad paths are refused with 400 before anything is relayed', async () => {
  const s = servers.credit!;
  for (const p of [
    '/../etc/passwd',
    '/a/%2e%2e/b',
    '/a%2fb',
    '/a%252fb',
    '/a%5cb',
    '/a/%252e%252e/b',
    '//evil.example/x',
    '/a;/../b',
    '/a%00b',
    '/%25252e%25252e/',
  ]) {
    const r = await rawRequest(proxy(s, p), { headers: owner.auth });
    expect([p, r.status, JSON.parse(r.body.toString()).code]).toEqual([p, 400, 'relay.bad_path']);
  }
});

test('no token → 401; a stranger → 404; unknown server → 404; server without tunnel → 503', async () => {
  const s = servers.credit!;
  expect((await rawRequest(proxy(s, '/echo'))).status).toBe(401);
  const r = await rawRequest(proxy(s, '/echo'), { headers: stranger.auth });
  expect([r.status, JSON.parse(r.body.toString()).code]).toEqual([404, 'server.not_found']);
  expect(
    (
      await rawRequest(`${hubUrl(hub)}/api/v1/servers/00000000-0000-4000-8000-000000000000/proxy/x`, {
        headers: owner.auth,
      })
    ).status,
  ).toBe(404);
  expect((await rawRequest(`${hubUrl(hub)}/api/v1/servers/not-a-uuid/proxy/x`, { headers: owner.auth })).status).toBe(
    404,
  );
  const offline = await pairServer(hub, owner);
  const o = await rawRequest(proxy(offline, '/echo'), { headers: owner.auth });
  expect(o.status).toBe(503);
  expect(JSON.parse(o.body.toString()).code).toBe('relay.server_unreachable');
  expect(o.headers['retry-after']).toBe('30');
});

describe('grantees', () => {
  let grantee: TestUser;
  let shareId: string;
  const s = () => servers.credit!;
  const share = async (permission: string) => {
    if (shareId) await hub.http().delete(`/api/v1/me/shares/${shareId}`).set(owner.auth).expect(204);
    const r = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: s().serverId, username: grantee.username, permission })
      .expect(201);
    shareId = r.body.id ?? r.body.share?.id;
  };
  beforeAll(async () => {
    grantee = await registerUser(hub);
  });

  test('view: browse yes; play, download and writes no; identity headers carry the grant', async () => {
    await share('view');
    const r = await rawRequest(proxy(s(), '/echo'), { headers: grantee.auth });
    expect(r.status).toBe(200);
    const echo = JSON.parse(r.body.toString());
    expect(echo.headers['x-phlix-relay-user']).toBe(grantee.id);
    expect(echo.headers['x-phlix-relay-role']).toBe('grantee');
    expect(echo.headers['x-phlix-relay-permission']).toBe('view');
    expect(echo.headers['x-phlix-relay-libraries']).toBe('*');
    // what is served decides: this origin answers /hls/master.m3u8 with a JSON document
    expect((await rawRequest(proxy(s(), '/hls/master.m3u8'), { headers: grantee.auth })).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/video.mp4'],
      ['GET', '/items/1/download'],
      ['POST', '/upload'],
      ['DELETE', '/echo'],
    ]) {
      const d = await rawRequest(proxy(s(), path!), { method, headers: grantee.auth });
      expect([method, path, d.status, JSON.parse(d.body.toString()).code]).toEqual([
        method,
        path,
        403,
        'relay.access_denied',
      ]);
    }
  });

  test('play: streams and Range yes, download no; download: yes', async () => {
    await share('play');
    const r = await rawRequest(proxy(s(), '/video.mp4'), { headers: { ...grantee.auth, Range: 'bytes=0-99' } });
    expect(r.status).toBe(206);
    expect((await rawRequest(proxy(s(), '/echo?download=1'), { headers: grantee.auth })).status).toBe(403);
    await share('download');
    expect((await rawRequest(proxy(s(), '/echo?download=1'), { headers: grantee.auth })).status).toBe(200);
    expect(
      (await rawRequest(proxy(s(), '/upload'), { method: 'POST', headers: grantee.auth, body: Buffer.from('x') }))
        .status,
    ).toBe(403);
  });

  test('a library share: that library yes (its id in the headers), another library no', async () => {
    // a generic origin's libraries are the path prefixes its agent declares
    await sendHeartbeat(hub, s(), {
      libraries: [
        { library_id: 'lib-movies', library_name: 'Movies', path_prefix: '/api/v1/libraries/lib-movies/' },
        { library_id: 'lib-music', library_name: 'Music', path_prefix: '/api/v1/libraries/lib-music/' },
      ],
    }).expect(200);
    if (shareId) await hub.http().delete(`/api/v1/me/shares/${shareId}`).set(owner.auth).expect(204);
    const r = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: s().serverId, username: grantee.username, permission: 'play', library_id: 'lib-movies' })
      .expect(201);
    shareId = r.body.id ?? r.body.share?.id;
    const ok = await rawRequest(proxy(s(), '/api/v1/libraries/lib-movies/echo'), { headers: grantee.auth });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString()).headers['x-phlix-relay-libraries']).toBe('lib-movies');
    const no = await rawRequest(proxy(s(), '/api/v1/libraries/lib-music/echo'), { headers: grantee.auth });
    expect(no.status).toBe(403);
  });

  test("revoking the share ends the grantee's running stream and refuses new ones", async () => {
    await share('play');
    const ended = new Promise<string>((resolve) => {
      const req = httpRequest(proxy(s(), '/slow/revoke'), { headers: grantee.auth, agent: false }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('end'));
        res.on('error', () => resolve('error'));
        res.on('close', () => resolve('close'));
      });
      req.on('error', () => resolve('error'));
      req.end();
    });
    await waitFor(() => hub.get(RelayPresence).activeStreams() > 0, 3000, 'the stream to start');
    await hub.http().delete(`/api/v1/me/shares/${shareId}`).set(owner.auth).expect(204);
    shareId = '';
    expect(['error', 'close', 'end']).toContain(await ended);
    await waitFor(() => origin.closedSlow.has('revoke'), 3000, 'the origin to see the cancel');
    const d = await rawRequest(proxy(s(), '/video.mp4'), { headers: grantee.auth });
    expect(d.status).toBe(404);
  });
});
