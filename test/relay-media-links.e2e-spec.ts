import { request as httpRequest, type IncomingMessage } from 'node:http';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { hubUrl, rawRequest, relayHub, startAgent, withTimeout } from './helpers/relay.js';
import { MOVIE, probe, startShareOrigin, type ShareOrigin } from './helpers/share-origin.js';
import { sha256Hex } from '../src/common/sha256.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

/**
 * Media links for native players: `POST /api/v1/me/media-links` → a URL that plays without any
 * header, through the real agent, within the holder's share and the link's prefix, and that stops
 * working (live streams included) when revoked, expired or when the share goes.
 */
let hub: TestHub;
let origin: ShareOrigin;
let owner: TestUser;
let stranger: TestUser;
const grantee: Record<'view' | 'play', TestUser> = {} as never;
const shareIds: Record<'view' | 'play', string> = {} as never;
let server: PairedServer;
let agent: RelayAgent;

beforeAll(async () => {
  hub = await relayHub();
  origin = await startShareOrigin();
  owner = await registerUser(hub);
  stranger = await registerUser(hub);
  server = await pairServer(hub, owner);
  agent = await startAgent(hub, server, origin.url);
  for (const p of ['view', 'play'] as const) {
    grantee[p] = await registerUser(hub);
    const r = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({ server_id: server.serverId, library_id: null, username: grantee[p].username, permission: p })
      .expect(201);
    shareIds[p] = r.body.id;
  }
});
afterAll(async () => {
  await agent?.stop();
  await hub.close();
  await origin.close();
});

const create = (u: TestUser, body: Record<string, unknown>) =>
  hub.http().post('/api/v1/me/media-links').set(u.auth).send(body);
/** The link's URL on the listening test hub (HUB_PUBLIC_URL of test hubs is not reachable). */
const local = (url: string) => url.replace(hub.cfg.http.publicUrl, hubUrl(hub));

async function link(u: TestUser, path: string, ttl = 600): Promise<{ id: string; url: string }> {
  const r = await create(u, { server_id: server.serverId, path, ttl_seconds: ttl });
  expect(r.status).toBe(201);
  return { id: r.body.id, url: local(r.body.url) };
}

/** Open a never-ending response; resolves with the response once its head arrived. */
function openStream(url: string): Promise<{ res: IncomingMessage; ended: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      const ended = new Promise<number>((done) => {
        res.on('close', () => done(Date.now()));
        res.on('error', () => done(Date.now()));
      });
      resolve({ res, ended });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('creating links', () => {
  test('201 {id, url, server_id, path, expires_at}; the url is <HUB_PUBLIC_URL>/m/<secret><path>; the secret is stored hashed', async () => {
    const r = await create(owner, { server_id: server.serverId, path: '/movie.mp4', ttl_seconds: 120 });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(String),
      url: expect.stringMatching(/^http:\/\/hub\.test:8800\/m\/[A-Za-z0-9_-]{43}\/movie\.mp4$/),
      server_id: server.serverId,
      path: '/movie.mp4',
      expires_at: new Date(hub.clock.now() + 120_000).toISOString(),
    });
    const secret = /\/m\/([^/]+)\//.exec(r.body.url)![1]!;
    const rows = await hub.ds.query('SELECT * FROM relay_media_links WHERE id = ?', [r.body.id]);
    expect(rows[0].token_hash).toBe(sha256Hex(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  test('bad input → 400 (nothing written); no token → 401; a server that is not mine or shared → 404', async () => {
    const before = (await hub.ds.query('SELECT COUNT(*) AS n FROM relay_media_links'))[0].n;
    for (const body of [
      { server_id: server.serverId, path: '/a/../b' },
      { server_id: server.serverId, path: '/x', ttl_seconds: 5 },
      { server_id: 'nope', path: '/x' },
      { server_id: server.serverId },
    ]) {
      expect((await create(owner, body)).status).toBe(400);
    }
    expect(
      (await hub.http().post('/api/v1/me/media-links').send({ server_id: server.serverId, path: '/x' })).status,
    ).toBe(401);
    const r = await create(stranger, { server_id: server.serverId, path: '/movie.mp4' });
    expect([r.status, r.body.code]).toEqual([404, 'server.not_found']);
    expect((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_media_links'))[0].n).toBe(before);
  });
});

describe('playing a link', () => {
  test('plays with no header: whole file, Range (206) and HEAD', async () => {
    const l = await link(owner, '/movie.mp4');
    const whole = await rawRequest(l.url);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(MOVIE)).toBe(true);
    const part = await rawRequest(l.url, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${MOVIE.length}`);
    expect(part.body.equals(MOVIE.subarray(100, 200))).toBe(true);
    const head = await rawRequest(l.url, { method: 'HEAD' });
    expect([head.status, head.headers['content-length']]).toEqual([200, String(MOVIE.length)]);
    // only reads: a player has no business writing through a link
    const put = await rawRequest(l.url, { method: 'PUT', body: Buffer.from('x') });
    expect(put.status).not.toBe(201);
  });

  test('only under its prefix; an unknown secret → 404 media_link.not_found', async () => {
    const folder = await link(owner, '/Movies/');
    expect((await probe(`${folder.url}movie.mp4`, { read: 10 })).status).toBe(200);
    const outside = await probe(folder.url.replace(/Movies\/$/, 'movie.mp4'), { read: 10 });
    expect([outside.status, outside.code]).toEqual([403, 'relay.access_denied']);
    const file = await link(owner, '/movie.mp4');
    expect((await probe(`${file.url}x`)).code).toBe('relay.access_denied');
    expect((await probe(`${file.url.replace(/\/movie\.mp4$/, '')}/Movies/../movie.mp4`)).status).toBe(400);
    const unknown = await probe(`${hubUrl(hub)}/m/${'A'.repeat(43)}/movie.mp4`);
    expect([unknown.status, unknown.code]).toEqual([404, 'media_link.not_found']);
  });

  test('the holder’s share decides: a view share cannot play, a play share plays but cannot download', async () => {
    const view = await link(grantee.view, '/');
    expect((await probe(`${view.url}movie.mp4`, { headers: { Range: 'bytes=0-99' } })).status).toBe(403);
    const play = await link(grantee.play, '/');
    expect((await probe(`${play.url}movie.mp4`, { headers: { Range: 'bytes=0-99' }, read: 100 })).status).toBe(206);
    const iso = await probe(`${play.url}archive.iso`);
    expect([iso.status, iso.code]).toEqual([403, 'relay.access_denied']);
  });
});

describe('ending links', () => {
  test('revoke: another user → 404; the holder → 204, a live stream ends within 1 s, the URL stops working', async () => {
    const l = await link(owner, '/slow/');
    const s = await openStream(`${l.url}rev1`);
    expect(s.res.statusCode).toBe(200);
    expect((await hub.http().delete(`/api/v1/me/media-links/${l.id}`).set(stranger.auth)).status).toBe(404);
    const t0 = Date.now();
    await hub.http().delete(`/api/v1/me/media-links/${l.id}`).set(owner.auth).expect(204);
    const ended = await withTimeout(s.ended, 3000, 'stream ends');
    expect(ended - t0).toBeLessThan(1000);
    const after = await probe(`${l.url}rev2`);
    expect([after.status, after.code]).toEqual([404, 'media_link.not_found']);
  });

  test('expiry: the URL stops working and a live stream ends within 1 s', async () => {
    const l = await link(owner, '/slow/', 60);
    const s = await openStream(`${l.url}exp1`);
    const t0 = Date.now();
    hub.clock.advance(61_000);
    const ended = await withTimeout(s.ended, 3000, 'stream ends');
    expect(ended - t0).toBeLessThan(1000);
    expect((await probe(`${l.url}exp2`)).code).toBe('media_link.not_found');
  });

  test('revoking the share ends the grantee’s link streams within 1 s and the link stops playing', async () => {
    const l = await link(grantee.play, '/slow/');
    const s = await openStream(`${l.url}share1`);
    expect(s.res.statusCode).toBe(200);
    const t0 = Date.now();
    await hub.http().delete(`/api/v1/me/shares/${shareIds.play}`).set(owner.auth).expect(204);
    const ended = await withTimeout(s.ended, 3000, 'stream ends');
    expect(ended - t0).toBeLessThan(1000);
    expect((await probe(`${l.url}share2`)).status).toBe(404);
  });
});
