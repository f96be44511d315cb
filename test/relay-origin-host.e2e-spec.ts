import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubPort, rawRequest, relayHub, startAgent, startOrigin, type Origin } from './helpers/relay.js';
import { startShareOrigin, type ShareOrigin } from './helpers/share-origin.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

/**
 * Relayed servers on their own origin (HUB_RELAY_HOST_TEMPLATE): the one-time way in from the hub,
 * the host-only cookie, the client's own Authorization passed through, no sandbox, and the share's
 * permissions exactly as on the proxy route.
 */
let hub: TestHub;
let echo: Origin;
let media: ShareOrigin;
let owner: TestUser;
let stranger: TestUser;
const grantee: Record<'view' | 'play', TestUser> = {} as never;
let app: PairedServer;
let films: PairedServer;
const agents: RelayAgent[] = [];
let port: number;

beforeAll(async () => {
  hub = await relayHub();
  port = hubPort(hub);
  hub.cfg.relay.hostTemplate = `{server}.localhost:${port}`;
  echo = await startOrigin((req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-security-policy': "default-src 'self'",
      'set-cookie': [
        'app_session=abc; Path=/; HttpOnly',
        'parent=1; Domain=localhost; Path=/',
        'phlix_relay=stolen; Path=/',
      ],
    });
    res.end(
      JSON.stringify({
        path: req.url,
        authorization: req.headers.authorization ?? null,
        cookie: req.headers.cookie ?? null,
      }),
    );
  });
  media = await startShareOrigin();
  owner = await registerUser(hub);
  stranger = await registerUser(hub);
  app = await pairServer(hub, owner);
  films = await pairServer(hub, owner);
  agents.push(await startAgent(hub, app, echo.url), await startAgent(hub, films, media.url));
  for (const p of ['view', 'play'] as const) {
    grantee[p] = await registerUser(hub);
    await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: films.serverId, library_id: null, username: grantee[p].username, permission: p })
      .expect(201);
  }
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub.close();
  await echo.close();
  await media.close();
});

const hostOf = (s: PairedServer) => `${s.serverId}.localhost:${port}`;
/** A request to a server's origin (the hub's port with that Host). */
const onOrigin = (s: PairedServer, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  rawRequest(`http://127.0.0.1:${port}${path}`, { method, headers: { Host: hostOf(s), ...headers } });

async function open(u: TestUser, s: PairedServer): Promise<string> {
  const r = await hub.http().post(`/api/v1/me/servers/${s.serverId}/open`).set(u.auth);
  expect(r.status).toBe(201);
  return r.body.url;
}

/** Open and enter: the origin's session cookie. */
async function enter(u: TestUser, s: PairedServer): Promise<string> {
  const url = new URL(await open(u, s));
  const r = await onOrigin(s, url.pathname + url.search);
  expect(r.status).toBe(302);
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  return set[0]!.split(';')[0]!;
}

describe('the way in', () => {
  test('open → a one-time URL on the server’s origin; entering sets a host-only HttpOnly cookie and redirects to /; used twice → 401', async () => {
    const r = await hub.http().post(`/api/v1/me/servers/${app.serverId}/open`).set(owner.auth);
    expect(r.status).toBe(201);
    expect(r.body.url).toMatch(
      new RegExp(`^http://${app.serverId}\\.localhost:${port}/\\.phlix/enter\\?t=[A-Za-z0-9_-]{43}$`),
    );
    expect(Date.parse(r.body.expires_at)).toBe(hub.clock.now() + 60_000);
    const url = new URL(r.body.url);
    // the entry token works on its own server's origin only
    const elsewhere = await onOrigin(films, url.pathname + url.search);
    expect([elsewhere.status, JSON.parse(elsewhere.body.toString()).code]).toEqual([401, 'relay.origin_entry_invalid']);
    const first = await onOrigin(app, url.pathname + url.search);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = ([] as string[]).concat(first.headers['set-cookie'] ?? [])[0]!;
    expect(cookie).toMatch(/^phlix_relay=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; SameSite=Lax; HttpOnly$/);
    const again = await onOrigin(app, url.pathname + url.search);
    expect([again.status, JSON.parse(again.body.toString()).code]).toEqual([401, 'relay.origin_entry_invalid']);
  });

  test('no token → 401; a server I cannot reach → 404; without the cookie the origin answers 401', async () => {
    expect((await hub.http().post(`/api/v1/me/servers/${app.serverId}/open`)).status).toBe(401);
    expect((await hub.http().post(`/api/v1/me/servers/${app.serverId}/open`).set(stranger.auth)).status).toBe(404);
    const r = await onOrigin(app, '/');
    expect([r.status, JSON.parse(r.body.toString()).code]).toEqual([401, 'relay.origin_session_required']);
    expect(echo.requests.length).toBe(0);
  });

  test('an expired entry → 401', async () => {
    const url = new URL(await open(owner, app));
    hub.clock.advance(61_000);
    expect((await onOrigin(app, url.pathname + url.search)).status).toBe(401);
  });

  test('a session cookie of one server’s origin does not open another’s', async () => {
    const cookie = await enter(owner, app);
    const r = await onOrigin(films, '/movie.mp4', { Cookie: cookie });
    expect(r.status).toBe(401);
  });
});

describe('on the server’s origin', () => {
  test('every path is relayed (the hub’s API is not there); the client’s Authorization and own cookies reach the server, the session cookie does not', async () => {
    const cookie = await enter(owner, app);
    const r = await onOrigin(app, '/api/v1/me?x=1', {
      Cookie: `${cookie}; app_session=abc`,
      Authorization: 'MediaBrowser Token="jellyfin-own"',
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({
      path: '/api/v1/me?x=1',
      authorization: 'MediaBrowser Token="jellyfin-own"',
      cookie: 'app_session=abc',
    });
  });

  test('not sandboxed: the server’s own CSP stands alone; its cookies for its own host are kept, others dropped', async () => {
    const cookie = await enter(owner, app);
    const r = await onOrigin(app, '/', { Cookie: cookie });
    expect(r.headers['content-security-policy']).toBe("default-src 'self'");
    expect(([] as string[]).concat(r.headers['set-cookie'] ?? [])).toEqual(['app_session=abc; Path=/; HttpOnly']);
  });

  test('the origin prefix typed on the hub’s own host is not a way in', async () => {
    const cookie = await enter(owner, app);
    const r = await rawRequest(`http://127.0.0.1:${port}/.phlix-origin/${app.serverId}/`, {
      headers: { Cookie: cookie },
    });
    expect(r.status).toBe(404);
  });

  test('path rules as on the proxy route', async () => {
    const cookie = await enter(owner, app);
    expect((await onOrigin(app, '/a/../b', { Cookie: cookie })).status).toBe(400);
  });

  test('the share decides as on the proxy route: view cannot play, play plays but cannot download', async () => {
    const view = await enter(grantee.view, films);
    expect((await onOrigin(films, '/movie.mp4', { Cookie: view, Range: 'bytes=0-99' })).status).toBe(403);
    const play = await enter(grantee.play, films);
    const ranged = await onOrigin(films, '/movie.mp4', { Cookie: play, Range: 'bytes=0-99' });
    expect([ranged.status, ranged.body.length]).toEqual([206, 100]);
    expect((await onOrigin(films, '/archive.iso', { Cookie: play })).status).toBe(403);
    expect((await onOrigin(films, '/upload', { Cookie: play }, 'PUT')).status).toBe(403);
  });

  test('once the share is revoked the grantee’s origin cookie reaches nothing', async () => {
    const g = await registerUser(hub);
    const sh = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: films.serverId, library_id: null, username: g.username, permission: 'play' })
      .expect(201);
    const cookie = await enter(g, films);
    expect((await onOrigin(films, '/movie.mp4', { Cookie: cookie, Range: 'bytes=0-9' })).status).toBe(206);
    await hub.http().delete(`/api/v1/me/shares/${sh.body.id}`).set(owner.auth).expect(204);
    expect((await onOrigin(films, '/movie.mp4', { Cookie: cookie, Range: 'bytes=0-9' })).status).toBe(404);
  });
});

describe('HUB_RELAY_HOST_TEMPLATE', () => {
  test('defaults to {server}.localhost:<HUB_PORT>; a template without exactly one {server} in a host[:port] is refused', async () => {
    const { loadConfig, ConfigError } = await import('../src/config/config.js');
    expect(loadConfig({ HUB_PORT: '9000' }).relay.hostTemplate).toBe('{server}.localhost:9000');
    expect(loadConfig({ HUB_RELAY_HOST_TEMPLATE: '{server}.Relay.Example.com' }).relay.hostTemplate).toBe(
      '{server}.relay.example.com',
    );
    for (const bad of [
      'relay.example.com',
      '{server}.{server}.example.com',
      'https://{server}.example.com',
      '{server}.example.com/x',
      '{server}',
      '{server}:8800',
    ]) {
      expect(() => loadConfig({ HUB_RELAY_HOST_TEMPLATE: bad })).toThrow(ConfigError);
    }
  });
});
