import { connect } from 'node:net';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubPort, RawTunnel, relayHub, sleep, tunnelUrl } from './helpers/relay.js';
import {
  FrameType,
  decodeRequestChunk,
  encodeResponseBody,
  encodeResponseEnd,
  encodeResponseHead,
  type HttpHeaders,
  type RelayHttpRequestHead,
} from '../src/relay/codec/index.js';

/**
 * Header hygiene of the relay under the hub's origin, against a plain-protocol fake server
 * speaking frames by hand: headers that act on the hub's origin never reach the browser,
 * forged identity/rewrite headers never reach the server, header values that are not Latin-1
 * are sent as UTF-8 bytes, a raw `#` is refused.
 */
let hub: TestHub;
let owner: TestUser;
let srv: PairedServer;
let t: RawTunnel;

beforeAll(async () => {
  hub = await relayHub();
  owner = await registerUser(hub);
  srv = await pairServer(hub, owner);
  t = await RawTunnel.open(tunnelUrl(hub), { serverId: srv.serverId, enrollmentJwt: srv.enrollmentJwt });
});
afterAll(async () => {
  t.close();
  await hub.close();
});

/** One raw HTTP/1.1 exchange (Connection: close); the whole answer as bytes. */
function rawHttp(target: string, headers: string[] = []): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect(hubPort(hub), '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks)));
    sock.on('error', reject);
    sock.write(
      [
        `GET ${target} HTTP/1.1`,
        'Host: hub',
        `Authorization: Bearer ${owner.token}`,
        'Connection: close',
        ...headers,
        '',
        '',
      ].join('\r\n'),
      'latin1',
    );
  });
}

const head = (raw: Buffer) => raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
const headerOf = (raw: Buffer, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head(raw))?.[1];
const proxyPath = (p: string) => `/api/v1/servers/${srv.serverId}/proxy${p}`;

/** Wait for the next request head on the fake server and answer it. */
async function serveNext(headers: HttpHeaders, status = 200, body = 'ok'): Promise<RelayHttpRequestHead> {
  const f = await t.waitFrame((x) => x.type === FrameType.HTTP_REQUEST && x.payload[0] === 0x01);
  t.frames.splice(t.frames.indexOf(f), 1);
  const c = decodeRequestChunk(f.payload);
  if (c.kind !== 'head') throw new Error('expected a head');
  t.send(
    FrameType.HTTP_RESPONSE,
    f.id,
    encodeResponseHead({ status, headers, bodyLength: Buffer.byteLength(body) }, 'utf8'),
  );
  t.send(FrameType.HTTP_RESPONSE, f.id, encodeResponseBody(Buffer.from(body)));
  t.send(FrameType.HTTP_RESPONSE, f.id, encodeResponseEnd());
  return c.head;
}

test('response headers that act on the hub origin are dropped (HSTS, Clear-Site-Data, CORS, Service-Worker-Allowed, Refresh, Link, prompting WWW-Authenticate)', async () => {
  const answer = rawHttp(proxyPath('/page'));
  await serveNext({
    'Content-Type': 'text/html',
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
    'Clear-Site-Data': '"*"',
    'Access-Control-Allow-Origin': 'https://evil.example',
    'Access-Control-Allow-Credentials': 'true',
    'access-control-expose-headers': '*',
    'Service-Worker-Allowed': '/',
    Refresh: '0; url=https://evil.example/',
    Link: '</sw.js>; rel=preload; as=script, <https://evil.example>; rel=preconnect',
    'Alt-Svc': 'h3=":443"',
    'WWW-Authenticate': 'Basic realm="Hub sign-in"',
    'Report-To': '{"group":"x"}',
    NEL: '{"report_to":"x"}',
    'X-Kept': 'yes',
  });
  const raw = await answer;
  expect(head(raw)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  const h = head(raw).toLowerCase();
  for (const name of [
    'strict-transport-security',
    'clear-site-data',
    'access-control-',
    'service-worker-allowed',
    'refresh',
    'link',
    'alt-svc',
    'www-authenticate',
    'report-to',
    'nel',
  ]) {
    expect(h).not.toMatch(new RegExp(`^${name}`, 'm'));
  }
  expect(headerOf(raw, 'x-kept')).toBe('yes');
  expect(headerOf(raw, 'content-security-policy')).toMatch(/sandbox/);
});

test('client headers forging identity (underscore spellings too), X-Forwarded-*, X-Original-URL / X-Rewrite-URL and method overrides never reach the server', async () => {
  const answer = rawHttp(proxyPath('/echo'), [
    'X_Phlix_Relay_User: admin',
    'x_phlix_relay_role: owner',
    'X-Phlix_Relay-Libraries: *',
    'X-Forwarded-Host: evil.example',
    'X-Forwarded-Proto: https',
    'X-Original-URL: /admin/delete',
    'X-Rewrite-URL: /admin',
    'X-HTTP-Method-Override: DELETE',
    'X-Custom: kept',
  ]);
  const req = await serveNext({ 'Content-Type': 'text/plain' });
  await answer;
  const names = Object.keys(req.headers).map((k) => k.toLowerCase());
  for (const n of names) expect(n).not.toContain('_');
  for (const n of [
    'x-forwarded-host',
    'x-forwarded-proto',
    'x-original-url',
    'x-rewrite-url',
    'x-http-method-override',
  ]) {
    expect(names).not.toContain(n);
  }
  expect(req.headers['X-Phlix-Relay-User']).toBe(owner.id);
  expect(req.headers['X-Phlix-Relay-Role']).toBe('owner');
  expect(req.headers['X-Custom']).toBe('kept');
  expect(req.path).toBe('/echo');
});

test('a raw # in the proxied path is refused with 400 {error, code}; nothing reaches the server', async () => {
  const before = t.frames.length;
  const raw = await rawHttp(proxyPath('/media/1#frag'));
  expect(head(raw)).toMatch(/^HTTP\/1\.1 400 /);
  const body = JSON.parse(raw.subarray(raw.indexOf('\r\n\r\n') + 4).toString('utf8'));
  expect(body).toEqual({ error: expect.any(String), code: 'relay.bad_path' });
  await sleep(100);
  expect(t.frames.slice(before).some((f) => f.type === FrameType.HTTP_REQUEST)).toBe(false);
});

test('header values beyond Latin-1 (and Latin-1 itself) go out as their UTF-8 bytes, never as a "502 OK"', async () => {
  const answer = rawHttp(proxyPath('/title'));
  await serveNext({
    'Content-Type': 'text/plain',
    'X-Title': 'Amélie ★ 千と千尋',
    'Content-Disposition': 'attachment; filename="café.mp4"',
  });
  const raw = await answer;
  expect(head(raw)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  const bytes = raw.subarray(0, raw.indexOf('\r\n\r\n'));
  expect(bytes.includes(Buffer.from('x-title: Amélie ★ 千と千尋', 'utf8'))).toBe(true);
  expect(bytes.includes(Buffer.from('filename="café.mp4"', 'utf8'))).toBe(true);
  expect(raw.subarray(raw.indexOf('\r\n\r\n') + 4).toString()).toBe('ok');
});

test('a 502 from the relay carries its own reason phrase', async () => {
  const answer = rawHttp(proxyPath('/broken'));
  const f = await t.waitFrame((x) => x.type === FrameType.HTTP_REQUEST && x.payload[0] === 0x01);
  t.frames.splice(t.frames.indexOf(f), 1);
  t.send(FrameType.HTTP_RESPONSE, f.id, encodeResponseBody(Buffer.from('body before head')));
  const raw = await answer;
  expect(head(raw)).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
  expect(JSON.parse(raw.subarray(raw.indexOf('\r\n\r\n') + 4).toString()).code).toBe('relay.bad_gateway');
});
