import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, sendHeartbeat, type PairedServer } from './helpers/servers.js';
import { proxyUrl, relayHub, startAgent, waitFor } from './helpers/relay.js';
import { probe, startShareOrigin, type ShareOrigin } from './helpers/share-origin.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';

/**
 * The permission model (docs/sharing.md) end to end: every permission × {a Phlix-style server,
 * a generic origin behind the agent} × the paths of the issue, their odd spellings, Range and
 * whole-file GETs, HEAD and writes.
 */
let hub: TestHub;
let origin: ShareOrigin;
let owner: TestUser;
const grantee: Record<'view' | 'play' | 'download', TestUser> = {} as never;
const server: Record<'phlix' | 'generic', PairedServer> = {} as never;
const agents: RelayAgent[] = [];

beforeAll(async () => {
  hub = await relayHub();
  origin = await startShareOrigin();
  owner = await registerUser(hub);
  server.phlix = await pairServer(hub, owner);
  server.generic = await pairServer(hub, owner);
  // the Phlix-style server: plain protocol, reports no generic-origin capability
  agents.push(await startAgent(hub, server.phlix, origin.url, { creditWindow: 0 }));
  agents.push(
    await startAgent(hub, server.generic, origin.url, {
      caseInsensitive: true,
      libraries: [
        { id: 'movies', name: 'movies', prefix: '/Movies/' },
        { id: 'tv', name: 'tv', prefix: '/TV/' },
      ],
    }),
  );
  await waitFor(
    async () =>
      Number(
        (
          await hub.ds.query(
            'SELECT COUNT(*) AS n FROM server_libraries WHERE server_id = ? AND path_prefix IS NOT NULL',
            [server.generic.serverId],
          )
        )[0].n,
      ) === 2,
    5000,
    'the agent libraries',
  );
  await waitFor(
    async () =>
      (await hub.ds.query('SELECT capabilities FROM servers WHERE id = ?', [server.phlix.serverId]))[0].capabilities !==
      null,
    5000,
    'the first heartbeat',
  );
  await sendHeartbeat(hub, server.phlix, { capabilities: [] }).expect(200); // a Phlix server declares no generic origin
  for (const p of ['view', 'play', 'download'] as const) {
    grantee[p] = await registerUser(hub);
    for (const kind of ['phlix', 'generic'] as const) {
      await hub
        .http()
        .post('/api/v1/me/shares')
        .set(owner.auth)
        .send({ server_id: server[kind].serverId, library_id: null, username: grantee[p].username, permission: p })
        .expect(201);
    }
  }
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub.close();
  await origin.close();
});

type Who = 'view' | 'play' | 'download' | 'owner';
/** [label, method, path, headers, expected status for view, play, download, owner] */
type Row = [string, string, string, Record<string, string>, number, number, number, number];
const R = { Range: 'bytes=0-99' };
const BOTH: Row[] = [
  ['a video', 'GET', '/movie.mp4', {}, 403, 200, 200, 200],
  ['a video whose name says nothing (.m4v)', 'GET', '/movie.m4v', {}, 403, 200, 200, 200],
  ['a disk image', 'GET', '/archive.iso', {}, 403, 403, 200, 200],
  ['a big video, whole file', 'GET', '/big.mp4', {}, 403, 403, 200, 200],
  ['a big video, Range', 'GET', '/big.mp4', R, 403, 206, 206, 206],
  ['HEAD of a big video', 'HEAD', '/big.mp4', {}, 200, 200, 200, 200],
  ['a leading //', 'GET', '//movie.mp4', {}, 400, 400, 400, 400],
  ['upper case', 'GET', '/MOVIE.MP4', {}, 403, 200, 200, 200],
  [';params', 'GET', '/movie.mp4;x', {}, 403, 200, 200, 200],
  ['a trailing %20', 'GET', '/movie.mp4%20', {}, 403, 200, 200, 200],
  ['a trailing dot', 'GET', '/movie.mp4.', {}, 403, 200, 200, 200],
  ['a trailing slash', 'GET', '/movie.mkv/', {}, 403, 200, 200, 200],
  ['an inner //', 'GET', '/Movies//movie.mp4', {}, 403, 200, 200, 200],
  ['an attachment', 'GET', '/attach.json', {}, 403, 403, 200, 200],
  ['a JSON document', 'GET', '/page.json', {}, 200, 200, 200, 200],
  ['a write', 'PUT', '/upload/x', {}, 403, 403, 403, 201],
  ['a delete', 'DELETE', '/movie.mp4', {}, 403, 403, 403, 201],
  ['live media of unknown length', 'GET', '/hls/live.ts', {}, 403, 200, 200, 200],
];
const PHLIX: Row[] = [
  ['the Phlix download route', 'GET', '/api/v1/media/5/download', {}, 403, 403, 200, 200],
  ['a Phlix playback report', 'POST', '/api/v1/media/5/progress', {}, 403, 201, 201, 201],
  ['a library listing', 'GET', '/api/v1/libraries/x/items', {}, 200, 200, 200, 200],
];
const GENERIC: Row[] = [
  ['no Phlix routes on a generic origin: a JSON answer', 'GET', '/api/v1/media/5/download', {}, 200, 200, 200, 200],
  ['no Phlix playback writes on a generic origin', 'POST', '/api/v1/media/5/progress', {}, 403, 403, 403, 201],
  ['a Jellyfin download route', 'GET', '/Items/abc/Download', {}, 403, 403, 200, 200],
  ['a Jellyfin playback report', 'POST', '/Sessions/Playing/Progress', {}, 403, 201, 201, 201],
];

const who = (w: Who) => (w === 'owner' ? owner : grantee[w]);
const cases = (kind: 'phlix' | 'generic', rows: Row[]) =>
  rows.flatMap(([label, method, path, headers, ...want]) =>
    (['view', 'play', 'download', 'owner'] as Who[]).map(
      (w, i) => [kind, label, w, method, path, headers, want[i]!] as const,
    ),
  );

test.each([...cases('phlix', [...BOTH, ...PHLIX]), ...cases('generic', [...BOTH, ...GENERIC])])(
  '%s · %s · %s: %s %s',
  async (kind, _label, w, method, path, headers, status) => {
    const r = await probe(proxyUrl(hub, server[kind].serverId, path), {
      method,
      headers: { ...who(w).auth, ...headers },
    });
    expect([path, w, r.status]).toEqual([path, w, status]);
    if (status === 403) expect(r.code).toBe('relay.access_denied'); // the refusal, never a body byte of the file
  },
);

test('the origin receives exactly the normalised path that was judged', async () => {
  const seen = (n: number) => origin.seen.slice(n);
  let n = origin.seen.length;
  await probe(proxyUrl(hub, server.phlix.serverId, '/a//MOVIE.mp4;x%20'), { headers: owner.auth });
  expect(seen(n)).toEqual(['GET /a/MOVIE.mp4']);
  n = origin.seen.length;
  await probe(proxyUrl(hub, server.generic.serverId, '/Movies//MOVIE.mp4;x%20'), { headers: owner.auth });
  expect(seen(n)).toEqual(['GET /movies/movie.mp4']); // the agent declared a case-folding origin
  n = origin.seen.length;
  await probe(proxyUrl(hub, server.generic.serverId, '/My%20Movies/a%3Bb.mp4'), { headers: owner.auth });
  expect(seen(n)).toEqual(['GET /my%20movies/a%3Bb.mp4']);
});

describe('library shares on a generic origin are its declared prefixes', () => {
  let lib: TestUser;
  beforeAll(async () => {
    lib = await registerUser(hub);
    await hub
      .http()
      .post('/api/v1/me/shares')
      .set(owner.auth)
      .send({
        server_id: server.generic.serverId,
        library_id: 'movies',
        username: lib.username,
        permission: 'download',
      })
      .expect(201);
  });
  test.each([
    ['/Movies/movie.mp4', 200],
    ['/Movies/', 200],
    ['/movies/MOVIE.MP4', 200], // the origin folds case: so does the check
    ['/Movies;x/movie.mp4', 200],
    ['/Movies', 200],
    ['/TV/movie.mp4', 403],
    ['/tv/movie.mp4', 403],
    ['/TV//movie.mp4', 403],
    ['/movie.mp4', 403],
    ['/', 403],
    ['/MoviesX/movie.mp4', 403],
    ['/Movies%2F../TV/movie.mp4', 400],
    ['/Movies/../TV/movie.mp4', 400],
    ['/Movies/%2e%2e/TV/movie.mp4', 400],
    ['/Movies/.../TV/movie.mp4', 400],
  ])('%s → %d', async (path, status) => {
    const r = await probe(proxyUrl(hub, server.generic.serverId, path), { headers: lib.auth });
    expect([path, r.status]).toEqual([path, status]);
  });
  test('the agent reports its libraries and prefixes like a Phlix server reports libraries', async () => {
    const r = await hub
      .http()
      .get(`/api/v1/me/libraries?server_id=${server.generic.serverId}`)
      .set(owner.auth)
      .expect(200);
    expect(r.body.libraries.map((l: { id: string }) => l.id).sort()).toEqual(['movies', 'tv']);
  });
});

test("what a grantee sees: incoming shares carry the server's online state and relay URL; every server view has relay_url; OpenAPI describes the relay", async () => {
  const id = server.generic.serverId;
  const base = `http://hub.test:8800/api/v1/servers/${id}/proxy/`;
  const incoming = (await hub.http().get('/api/v1/me/shares').set(grantee.view.auth).expect(200)).body.incoming;
  expect(incoming.find((s: { server_id: string }) => s.server_id === id)).toMatchObject({
    server_online: true,
    relay_url: base,
  });
  const outgoing = (await hub.http().get('/api/v1/me/shares').set(owner.auth).expect(200)).body.outgoing;
  expect(outgoing.find((s: { server_id: string }) => s.server_id === id)).toMatchObject({
    server_online: true,
    relay_url: base,
  });
  expect((await hub.http().get(`/api/v1/me/servers/${id}`).set(owner.auth).expect(200)).body.server.relay_url).toBe(
    base,
  );
  expect((await hub.http().get('/api/v1/me/servers').set(owner.auth).expect(200)).body.relay_urls[id]).toBe(base);
  expect((await hub.http().get(`/api/v1/servers/${id}/info`).set(server.generic.auth).expect(200)).body.relay_url).toBe(
    base,
  );
  const doc = (await hub.http().get('/api/docs-json').expect(200)).body;
  for (const [p, m] of [
    ['/api/v1/servers/{id}/proxy/{path}', 'get'],
    ['/api/v1/servers/{id}/proxy/{path}', 'put'],
    ['/api/v1/relay/tunnel', 'get'],
    ['/api/v1/relay/client/{server_id}', 'get'],
    ['/metrics', 'get'],
  ]) {
    expect([p, m, doc.paths[p]?.[m]?.responses !== undefined]).toEqual([p, m, true]);
  }
  expect(doc.paths['/api/v1/servers/{id}/proxy/{path}'].get.responses['403'].description).toMatch(
    /relay\.access_denied/,
  );
});
