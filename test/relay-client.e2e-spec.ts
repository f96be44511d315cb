import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { registerAdmin, registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubPort, relayHub, startAgent, waitFor, withTimeout } from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

let hub: TestHub;
let admin: TestUser;
let owner: TestUser;
let stranger: TestUser;
let origin: TestOrigin;
let echo: { server: Server; port: number; open: Set<Socket>; ended: number };
let echoServer: PairedServer;
let httpServer: PairedServer;
const agents: RelayAgent[] = [];

/** TCP echo; a line "bye" makes it close the connection. */
async function startEcho() {
  const open = new Set<Socket>();
  const e = { server: createServer(), port: 0, open, ended: 0 };
  e.server.on('connection', (s) => {
    open.add(s);
    s.on('data', (d) => (d.toString().endsWith('bye\n') ? s.end() : s.write(d)));
    s.on('close', () => {
      open.delete(s);
      e.ended++;
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => e.server.listen(0, '127.0.0.1', r));
  e.port = (e.server.address() as AddressInfo).port;
  return e;
}

beforeAll(async () => {
  hub = await relayHub({ HUB_RELAY_CLIENT_CONNECT_LIMIT: '100000' });
  admin = await registerAdmin(hub);
  owner = await registerUser(hub);
  stranger = await registerUser(hub);
  origin = await startTestOrigin();
  echo = await startEcho();
  echoServer = await pairServer(hub, owner);
  httpServer = await pairServer(hub, owner);
  agents.push(await startAgent(hub, echoServer, origin.url, { channelTarget: `127.0.0.1:${echo.port}` }));
  agents.push(await startAgent(hub, httpServer, origin.url)); // default target: the origin's host:port
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub.close();
  await origin.close();
  for (const s of echo.open) s.destroy();
  await new Promise((r) => echo.server.close(r));
});

const wsUrl = (serverId: string, q = '') => `ws://127.0.0.1:${hubPort(hub)}/api/v1/relay/client/${serverId}${q}`;
const issue = (u: TestUser, serverId: string) =>
  hub.http().post(`/api/v1/me/servers/${serverId}/relay-token`).set(u.auth);

interface Client {
  ws: WebSocket;
  got: Buffer[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  upgradeProtocol?: string | string[];
  received(): Buffer;
}

function client(url: string, o: { token?: string; protocols?: string[] } = {}): Client {
  const ws = new WebSocket(url, o.protocols ?? [], {
    headers: o.token ? { Authorization: `Bearer ${o.token}` } : {},
    perMessageDeflate: false,
  });
  const c: Client = {
    ws,
    got: [],
    opened: new Promise((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    }),
    closed: new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() }))),
    received: () => Buffer.concat(c.got),
  };
  ws.on('upgrade', (res) => (c.upgradeProtocol = res.headers['sec-websocket-protocol']));
  ws.on('message', (d) => c.got.push(d as Buffer));
  ws.on('error', () => undefined);
  return c;
}

async function refusedWith(c: Client): Promise<[number, string]> {
  const r = await withTimeout(c.closed, 5000, 'close');
  return [r.code, r.reason];
}

describe('POST /api/v1/me/servers/{id}/relay-token', () => {
  test("401 without a token; 404 for non-UUID, unknown and other people's servers", async () => {
    await hub.http().post(`/api/v1/me/servers/${echoServer.serverId}/relay-token`).expect(401);
    expect((await issue(owner, 'nope')).status).toBe(404);
    expect((await issue(owner, '0b7c8e7e-3a7e-4a43-9d6e-6f1f5f1f5f1f')).body.code).toBe('server.not_found');
    const r = await issue(stranger, echoServer.serverId);
    expect([r.status, r.body.code]).toEqual([404, 'server.not_found']);
    expect(Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_client_tokens'))[0].n)).toBe(0);
  });

  test('owner: an opaque 256-bit token, 1 h, stored only as SHA-256, with the ws URL', async () => {
    const r = await issue(owner, echoServer.serverId).expect(201);
    expect(r.body.token).toMatch(/^phr_[A-Za-z0-9_-]{43}$/);
    expect(r.body).toMatchObject({
      token_type: 'Bearer',
      server_id: echoServer.serverId,
      expires_in: 3600,
      ws_url: `ws://hub.test:8800/api/v1/relay/client/${echoServer.serverId}`,
    });
    expect(Date.parse(r.body.expires_at)).toBe(hub.clock.now() + 3600_000);
    const rows: Record<string, unknown>[] = await hub.ds.query('SELECT * FROM relay_client_tokens WHERE id = ?', [
      r.body.id,
    ]);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(r.body.token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(r.body.token.slice(4));
    const list = await hub
      .http()
      .get(`/api/v1/me/relay-tokens?server_id=${echoServer.serverId}`)
      .set(owner.auth)
      .expect(200);
    expect(list.body.tokens.map((t: { id: string }) => t.id)).toContain(r.body.id);
    expect(JSON.stringify(list.body)).not.toContain(r.body.token);
    expect((await hub.http().get('/api/v1/me/relay-tokens').set(stranger.auth).expect(200)).body.tokens).toEqual([]);
  });

  test('grantees: only where the owner allowed raw channels, on a whole-server share with download', async () => {
    const g = await registerUser(hub);
    const sh = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: echoServer.serverId, library_id: null, username: g.username, permission: 'play' })
      .expect(201);
    expect((await issue(g, echoServer.serverId)).body.code).toBe('relay.access_denied');
    await hub
      .http()
      .patch(`/api/v1/me/shares/${sh.body.id}`)
      .set(owner.auth)
      .send({ permission: 'download' })
      .expect(200);
    expect((await issue(g, echoServer.serverId)).body.code).toBe('relay.access_denied'); // download alone is not enough
    const p = await hub
      .http()
      .patch(`/api/v1/me/shares/${sh.body.id}`)
      .set(owner.auth)
      .send({ allow_raw_channels: true })
      .expect(200);
    expect(p.body.allow_raw_channels).toBe(true);
    await issue(g, echoServer.serverId).expect(201);
  });
});

describe('raw client channel', () => {
  test('echo round trip through the hub, the agent and a TCP target; large payloads intact both ways; metered', async () => {
    const before = (await hub.http().get('/api/v1/me/bandwidth').set(owner.auth)).body;
    const { token } = (await issue(owner, echoServer.serverId).expect(201)).body;
    const c = client(wsUrl(echoServer.serverId), { token });
    await c.opened;
    c.ws.send(Buffer.from('hello'));
    await waitFor(() => c.received().toString() === 'hello', 5000, 'echo');
    const big = randomBytes(3 * 1024 * 1024 + 17);
    for (let off = 0; off < big.length; off += 256 * 1024) c.ws.send(big.subarray(off, off + 256 * 1024));
    await waitFor(() => c.received().length >= 5 + big.length, 15000, 'the big echo');
    expect(c.received().subarray(5).equals(big)).toBe(true);
    c.ws.close();
    await waitFor(() => echo.open.size === 0, 5000, 'the target connection to close');
    const after = (await hub.http().get('/api/v1/me/bandwidth').set(owner.auth)).body;
    expect(after.bytes_in - before.bytes_in).toBe(5 + big.length);
    expect(after.bytes_out - before.bytes_out).toBe(5 + big.length);
  });

  test('the `bearer` subprotocol carries the token; the 101 echoes only "bearer"', async () => {
    const { token } = (await issue(owner, echoServer.serverId).expect(201)).body;
    const c = client(wsUrl(echoServer.serverId), { protocols: ['bearer', token] });
    await c.opened;
    expect(c.ws.protocol).toBe('bearer');
    expect(c.upgradeProtocol).toBe('bearer');
    c.ws.send('ping\n');
    await waitFor(() => c.received().toString() === 'ping\n', 5000, 'echo');
    c.ws.send('bye\n'); // the target closes → CLIENT_DISCONNECT → the client is closed
    expect(await refusedWith(c)).toEqual([1000, 'server_closed']);
  });

  test('default agent target is the origin itself: HTTP/1.1 over the raw channel', async () => {
    const { token } = (await issue(owner, httpServer.serverId).expect(201)).body;
    const c = client(wsUrl(httpServer.serverId), { token });
    await c.opened;
    c.ws.send('GET /echo HTTP/1.1\r\nHost: origin\r\nConnection: close\r\n\r\n');
    expect(await refusedWith(c)).toEqual([1000, 'server_closed']);
    const text = c.received().toString();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('"url":"/echo"');
  });

  test("refused with 4401: no token, a garbage token, a token of another server (a stranger's), `?token=` in the query", async () => {
    const mine = (await issue(stranger, (await pairServer(hub, stranger)).serverId).expect(201)).body.token;
    const good = (await issue(owner, echoServer.serverId).expect(201)).body.token;
    expect(await refusedWith(client(wsUrl(echoServer.serverId)))).toEqual([4401, 'unauthorized']);
    expect(
      await refusedWith(client(wsUrl(echoServer.serverId), { token: `phr_${randomBytes(32).toString('base64url')}` })),
    ).toEqual([4401, 'unauthorized']);
    expect(await refusedWith(client(wsUrl(echoServer.serverId), { token: mine }))).toEqual([4401, 'unauthorized']);
    expect(await refusedWith(client(wsUrl(echoServer.serverId), { token: owner.token }))).toEqual([
      4401,
      'unauthorized',
    ]); // an access JWT is not a relay token
    expect(await refusedWith(client(wsUrl(echoServer.serverId, `?token=${good}`)))).toEqual([
      4401,
      'query_credentials_refused',
    ]);
    expect(await refusedWith(client(wsUrl(echoServer.serverId, `?access_token=${good}`), { token: good }))).toEqual([
      4401,
      'query_credentials_refused',
    ]);
    expect(echo.open.size).toBe(0);
  });

  test('an expired token is refused (1 h, fake clock)', async () => {
    const { token } = (await issue(owner, echoServer.serverId).expect(201)).body;
    hub.clock.advance(3600_000 + 1000);
    try {
      expect(await refusedWith(client(wsUrl(echoServer.serverId), { token }))).toEqual([4401, 'unauthorized']);
    } finally {
      hub.clock.advance(-(3600_000 + 1000));
    }
    const c = client(wsUrl(echoServer.serverId), { token });
    await c.opened;
    c.ws.close();
  });

  test('revoking a token closes its open channels and refuses it afterwards; only the holder may revoke', async () => {
    const t = (await issue(owner, echoServer.serverId).expect(201)).body;
    const c = client(wsUrl(echoServer.serverId), { token: t.token });
    await c.opened;
    await hub.http().delete(`/api/v1/me/relay-tokens/${t.id}`).expect(401);
    await hub.http().delete(`/api/v1/me/relay-tokens/${t.id}`).set(stranger.auth).expect(404);
    await hub.http().delete(`/api/v1/me/relay-tokens/${t.id}`).set(owner.auth).expect(204);
    expect(await refusedWith(c)).toEqual([4401, 'token_revoked']);
    expect(await refusedWith(client(wsUrl(echoServer.serverId), { token: t.token }))).toEqual([4401, 'unauthorized']);
    await hub.http().delete(`/api/v1/me/relay-tokens/${t.id}`).set(owner.auth).expect(404);
    const t2 = (await issue(owner, echoServer.serverId).expect(201)).body;
    const r = await hub
      .http()
      .delete(`/api/v1/me/servers/${echoServer.serverId}/relay-token`)
      .set(owner.auth)
      .expect(200);
    expect(r.body.revoked).toBeGreaterThanOrEqual(1);
    expect(await refusedWith(client(wsUrl(echoServer.serverId), { token: t2.token }))).toEqual([4401, 'unauthorized']);
  });

  test("a grantee's channel ends when the share is revoked", async () => {
    const g = await registerUser(hub);
    const sh = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({
        server_id: echoServer.serverId,
        library_id: null,
        username: g.username,
        permission: 'download',
        allow_raw_channels: true,
      })
      .expect(201);
    const { token } = (await issue(g, echoServer.serverId).expect(201)).body;
    const c = client(wsUrl(echoServer.serverId), { token });
    await c.opened;
    await hub.http().delete(`/api/v1/me/shares/${sh.body.id}`).set(owner.auth).expect(204);
    expect(await refusedWith(c)).toEqual([4403, 'access_revoked']);
  });

  test('no tunnel → 1013 server_not_connected; channels count as streams (1013 relay.stream_limit); per-IP limit → 1013', async () => {
    const offline = await pairServer(hub, owner);
    const t = (await issue(owner, offline.serverId).expect(201)).body.token;
    expect(await refusedWith(client(wsUrl(offline.serverId), { token: t }))).toEqual([1013, 'server_not_connected']);
    const u = await registerUser(hub);
    const s = await pairServer(hub, u);
    agents.push(await startAgent(hub, s, origin.url, { channelTarget: `127.0.0.1:${echo.port}` }));
    await hub
      .http()
      .put(`/api/v1/admin/users/${u.id}/quota`)
      .set(admin.auth)
      .send({ quota_bytes_in: null, quota_bytes_out: null, max_concurrent_streams: 1 })
      .expect(200);
    const tok = (await issue(u, s.serverId).expect(201)).body.token;
    const first = client(wsUrl(s.serverId), { token: tok });
    await first.opened;
    expect(await refusedWith(client(wsUrl(s.serverId), { token: tok }))).toEqual([1013, 'relay.stream_limit']);
    first.ws.close();
    await hub.ds.query("UPDATE rate_limits SET count = 1000000 WHERE k = 'relay_client:127.0.0.1'");
    expect(await refusedWith(client(wsUrl(s.serverId), { token: tok }))).toEqual([1013, 'rate_limited']);
    await hub.ds.query("DELETE FROM rate_limits WHERE k = 'relay_client:127.0.0.1'");
  });
});
