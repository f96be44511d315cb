import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubPort, proxyUrl, relayHub, startAgent, waitFor, withTimeout } from './helpers/relay.js';
import { startShareOrigin, type ShareOrigin } from './helpers/share-origin.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

let hub: TestHub;
let origin: ShareOrigin;
let owner: TestUser;
let srv: PairedServer;
let agent: RelayAgent;
const HOUR = 3600_000;

beforeAll(async () => {
  hub = await relayHub({ HUB_RELAY_CLIENT_CONNECT_LIMIT: '100000', HUB_JWT_ACCESS_TTL: '86400' });
  origin = await startShareOrigin();
  owner = await registerUser(hub);
  srv = await pairServer(hub, owner);
  agent = await startAgent(hub, srv, origin.url); // raw channels go to the origin's own host:port
});
afterAll(async () => {
  await agent.stop();
  await hub.close();
  await origin.close();
});

const share = async (u: TestUser, body: Record<string, unknown>) =>
  (
    await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: srv.serverId, library_id: null, username: u.username, ...body })
      .expect(201)
  ).body;

/** A streaming GET that resolves when the response ends or breaks. */
function openStream(url: string, headers: Record<string, string>) {
  let got = 0;
  const ended = new Promise<number>((resolve) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      res.on('data', (c: Buffer) => (got += c.length));
      res.on('close', () => resolve(Date.now()));
      res.on('error', () => resolve(Date.now()));
    });
    req.on('error', () => resolve(Date.now()));
    req.end();
  });
  return { ended, bytes: () => got };
}

describe('expiry ends open streams like revoke does', () => {
  test('a share that expires while streaming: the stream ends within 2 s and the origin sees the cancel', async () => {
    const g = await registerUser(hub);
    await share(g, { permission: 'view', expires_at: new Date(hub.clock.now() + HOUR).toISOString() });
    const s = openStream(proxyUrl(hub, srv.serverId, '/slow/expiry'), g.auth);
    await waitFor(() => s.bytes() > 0, 5000, 'the stream to flow');
    hub.clock.advance(HOUR + 1);
    const at = Date.now();
    const end = await withTimeout(s.ended, 5000, 'the stream to end');
    expect(end - at).toBeLessThan(2000);
    await waitFor(() => origin.closedSlow.has('expiry'), 3000, 'the origin to see the cancel');
    const again = await hub.http().get(`/api/v1/servers/${srv.serverId}/proxy/page.json`).set(g.auth);
    expect(again.status).toBe(404);
  });

  test("only the expired share's streams end: a later-expiring grantee streams on", async () => {
    const [g1, g2] = [await registerUser(hub), await registerUser(hub)];
    await share(g1, { permission: 'view', expires_at: new Date(hub.clock.now() + HOUR).toISOString() });
    await share(g2, { permission: 'view', expires_at: new Date(hub.clock.now() + 2 * HOUR).toISOString() });
    const s1 = openStream(proxyUrl(hub, srv.serverId, '/slow/first'), g1.auth);
    const s2 = openStream(proxyUrl(hub, srv.serverId, '/slow/second'), g2.auth);
    await waitFor(() => s1.bytes() > 0 && s2.bytes() > 0, 5000, 'both streams to flow');
    hub.clock.advance(HOUR + 1);
    await withTimeout(s1.ended, 3000, 'the first stream to end');
    const n = s2.bytes();
    await waitFor(() => s2.bytes() > n + 100, 3000, 'the second stream to go on');
    expect(origin.closedSlow.has('second')).toBe(false);
    hub.clock.advance(HOUR);
    await withTimeout(s2.ended, 3000, 'the second stream to end at its own expiry');
  });
});

describe('raw client channels honour the share', () => {
  const wsUrl = () => `ws://127.0.0.1:${hubPort(hub)}/api/v1/relay/client/${srv.serverId}`;
  const issue = (u: TestUser) => hub.http().post(`/api/v1/me/servers/${srv.serverId}/relay-token`).set(u.auth);
  function channel(token: string) {
    const ws = new WebSocket(wsUrl(), [], { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
    const got: Buffer[] = [];
    ws.on('message', (d) => got.push(d as Buffer));
    ws.on('error', () => undefined);
    return {
      ws,
      text: () => Buffer.concat(got).toString('latin1'),
      opened: new Promise<void>((res, rej) => {
        ws.once('open', () => res());
        ws.once('error', rej);
      }),
      closed: new Promise<[number, string]>((res) => ws.on('close', (c, r) => res([c, r.toString()]))),
    };
  }

  test("a download grantee without the owner's explicit grant gets no channel (the PUT that used to pass)", async () => {
    const g = await registerUser(hub);
    await share(g, { permission: 'download' });
    const r = await issue(g);
    expect([r.status, r.body.code]).toEqual([403, 'relay.access_denied']);
  });

  test('allow_raw_channels only on a whole-server download share', async () => {
    const g = await registerUser(hub);
    const bad = await hub.http().post('/api/v1/me/shares').set(owner.auth).send({
      server_id: srv.serverId,
      library_id: null,
      username: g.username,
      permission: 'play',
      allow_raw_channels: true,
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'share.raw_channels_scope']);
    const sh = await share(g, { permission: 'download', allow_raw_channels: true });
    expect(sh.allow_raw_channels).toBe(true);
    const down = await hub
      .http()
      .patch(`/api/v1/me/shares/${sh.id}`)
      .set(owner.auth)
      .send({ permission: 'play' })
      .expect(200);
    expect(down.body.allow_raw_channels).toBe(false); // a downgrade ends the channel grant
    expect((await issue(g)).status).toBe(403);
  });

  test('a granted grantee reads through the channel; a write closes it before it reaches the origin; the owner may write', async () => {
    const g = await registerUser(hub);
    await share(g, { permission: 'download', allow_raw_channels: true });
    const c = channel((await issue(g).expect(201)).body.token);
    await c.opened;
    c.ws.send('GET /page.json HTTP/1.1\r\nHost: origin\r\n\r\n');
    await waitFor(() => c.text().includes('"path":"/page.json"'), 5000, 'the read to be answered');
    const before = origin.seen.length;
    c.ws.send('PUT /upload/x HTTP/1.1\r\nHost: origin\r\nContent-Length: 2\r\n\r\nhi');
    expect(await withTimeout(c.closed, 5000, 'the channel to close')).toEqual([4403, 'relay.access_denied']);
    await new Promise((r) => setTimeout(r, 200));
    expect(origin.seen.slice(before)).toEqual([]);

    const o = channel((await issue(owner).expect(201)).body.token);
    await o.opened;
    o.ws.send('PUT /upload/x HTTP/1.1\r\nHost: origin\r\nContent-Length: 2\r\n\r\nhi');
    await waitFor(() => o.text().startsWith('HTTP/1.1 201'), 5000, "the owner's write");
    o.ws.close();
  });
});
