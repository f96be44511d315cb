/**
 * Typed responses: every operation in /api/docs-json declares its success answer (a JSON schema, or
 * an explicit 204), with the status the route really answers with; and the answers of a real session
 * through the API match the declared schemas exactly (no missing and no undeclared keys), so the
 * documented types (which the web app's client is generated from) cannot drift from the wire.
 */
import request from 'supertest';
import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { heartbeatBody, makeServerKey, PROTO, provenClaimBody, claimRequestBody } from './helpers/servers.js';
import { declaredKeys, nestRoutes, OpenApiDoc, responseSchema, schemaProblems } from './helpers/openapi.js';

/** Nest routes hidden from the document on purpose. */
const HIDDEN: Record<string, string> = {
  'GET /metrics': 'Prometheus text exposition for scrapers, not part of the JSON API',
};

/** Operations that never answer 2xx (they declare their error answer instead). */
const NEVER_SUCCEED: Record<string, string> = {
  'GET /api/v1/hubs/{hubId}/servers': 'hub-to-hub federation is not implemented in v1: always 501',
  'GET /api/v1/hubs/{hubId}/users': 'hub-to-hub federation is not implemented in v1: always 501',
  'GET /api/v1/hubs/{hubId}/libraries': 'hub-to-hub federation is not implemented in v1: always 501',
  'POST /api/v1/federation/peers': 'hub-to-hub federation is not implemented in v1: always 501',
};

/**
 * Routes outside Nest's router (registered on Fastify or the WebSocket server directly). They are
 * not in the walk of controllers; if one is added to the document, its 2xx answer is whatever the
 * media server sends (any content type), so only a described 2xx is required of it.
 */
const OUTSIDE_NEST: { match: RegExp; reason: string }[] = [
  {
    match: /^\/api\/v1\/servers\/\{[^}]+\}\/proxy(\/|$)/,
    reason: "the relayed HTTP proxy: the answer is the media server's own",
  },
  {
    match: /^\/api\/v1\/relay\/(tunnel|client)(\/|$)/,
    reason: 'WebSocket upgrades (tunnel, raw client channels): no HTTP answer body',
  },
  { match: /^\/metrics$/, reason: 'Prometheus text format, not JSON' },
];

function declarationProblems(doc: OpenApiDoc): string[] {
  const out: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const key = `${method.toUpperCase()} ${path}`;
      const outside = OUTSIDE_NEST.some((o) => o.match.test(path));
      // a WebSocket upgrade succeeds with 101 Switching Protocols
      const ok = Object.entries(op.responses ?? {}).filter(
        ([code]) => /^2\d\d$/.test(code) || (outside && code === '101'),
      );
      if (NEVER_SUCCEED[key]) {
        if (ok.length) out.push(`${key}: listed as never succeeding, but declares ${ok.map(([c]) => c)}`);
        const errs = Object.values(op.responses ?? {}).filter((r) => r.content?.['application/json']?.schema);
        if (!errs.length) out.push(`${key}: declares no error schema`);
        continue;
      }
      if (!ok.length) {
        out.push(`${key}: no 2xx response declared`);
        continue;
      }
      for (const [code, r] of ok) {
        if (code === '204') {
          if (!r.description) out.push(`${key}: 204 without a description (use @ApiNoContentResponse)`);
          if (r.content) out.push(`${key}: 204 declares a body`);
        } else if (outside) {
          if (!r.description && !r.content) out.push(`${key}: ${code} not described`);
        } else {
          const s = r.content?.['application/json']?.schema;
          if (!s || (!s.$ref && !s.type && !s.allOf && !s.oneOf && !s.properties)) {
            out.push(`${key}: ${code} has no JSON schema`);
          }
        }
      }
    }
  }
  return out;
}

describe('OpenAPI responses', () => {
  let hub: TestHub;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    hub = await createTestHub();
    doc = (await hub.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await hub.close();
  });

  test('every operation declares a 2xx answer with a schema (or an explicit 204)', () => {
    expect(Object.keys(doc.paths).length).toBeGreaterThan(40);
    expect(declarationProblems(doc)).toEqual([]);
  });

  test('the check itself fails on an operation without a declared answer', () => {
    const broken: OpenApiDoc = JSON.parse(JSON.stringify(doc));
    broken.paths['/api/v1/me'].get.responses = { 200: { description: '' } };
    broken.paths['/api/v1/me/shares/{id}'].delete.responses = { 204: { description: '' } };
    expect(declarationProblems(broken)).toEqual([
      'GET /api/v1/me: 200 has no JSON schema',
      'DELETE /api/v1/me/shares/{id}: 204 without a description (use @ApiNoContentResponse)',
    ]);
  });

  test('every Nest route is in the document, with the success status it really answers with', () => {
    const routes = nestRoutes(hub.app);
    expect(routes.length).toBeGreaterThan(60);
    const problems: string[] = [];
    for (const r of routes) {
      const op = doc.paths[r.path]?.[r.method];
      if (r.excluded) {
        if (!HIDDEN[r.key]) problems.push(`${r.key} (${r.handler}): hidden from the docs without a listed reason`);
        continue;
      }
      if (!op) {
        problems.push(`${r.key} (${r.handler}): missing from the document`);
        continue;
      }
      if (NEVER_SUCCEED[r.key]) continue;
      const declared = Object.keys(op.responses ?? {}).filter((c) => /^2\d\d$/.test(c));
      if (declared.join() !== String(r.status)) {
        problems.push(`${r.key} (${r.handler}): answers ${r.status}, declares ${declared.join() || 'nothing'}`);
      }
    }
    expect(problems).toEqual([]);
    for (const k of Object.keys(HIDDEN)) expect(routes.find((r) => r.key === k)?.excluded).toBe(true);
  });
});

/** A real session through the API; every answer is checked against the schema its operation declares. */
describe('answers match their declared schemas', () => {
  let hub: TestHub;
  let peer: TestHub;
  let doc: OpenApiDoc;
  const checked = new Set<string>();
  const problems: string[] = [];

  /** Call `METHOD /template` (with `{param}`s filled in), check the answer, return it. */
  async function call(
    h: TestHub,
    route: string,
    o: {
      params?: Record<string, string>;
      body?: unknown;
      headers?: Record<string, string>;
      query?: Record<string, string | number>;
    } = {},
  ): Promise<request.Response> {
    const [method, template] = route.split(' ');
    const path = template.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(o.params?.[k] ?? `missing-${k}`));
    let req = (h.http() as unknown as Record<string, (p: string) => request.Test>)[method.toLowerCase()](path);
    if (o.headers) req = req.set(o.headers);
    if (o.query) req = req.query(o.query);
    const res = o.body !== undefined ? await req.send(o.body as object) : await req;
    const op = doc.paths[template]?.[method.toLowerCase()];
    const declared = Object.keys(op?.responses ?? {}).filter((c) => /^2\d\d$/.test(c));
    if (!declared.includes(String(res.status))) {
      problems.push(
        `${route}: answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}, declares ${declared.join() || 'nothing'}`,
      );
      return res;
    }
    checked.add(route);
    if (res.status === 204) {
      if (res.text) problems.push(`${route}: 204 with a body`);
      return res;
    }
    const schema = responseSchema(doc, method.toLowerCase(), template, res.status);
    if (!schema) problems.push(`${route}: no schema for ${res.status}`);
    else problems.push(...schemaProblems(doc, schema, res.body, route));
    return res;
  }

  /** The answer carries exactly the declared properties, but for the optional ones named in `without`. */
  function exactKeys(route: string, body: Record<string, unknown>, o: { status?: number; without?: string[] } = {}) {
    const [method, template] = route.split(' ');
    const schema = responseSchema(doc, method.toLowerCase(), template, o.status ?? 200)!;
    expect(Object.keys(body).sort()).toEqual(
      declaredKeys(doc, schema)
        .filter((k) => !o.without?.includes(k))
        .sort(),
    );
  }

  beforeAll(async () => {
    hub = await createTestHub();
    peer = await createTestHub({ env: { HUB_ID: 'hub-peer' } });
    doc = (await hub.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await hub?.close();
    await peer?.close();
  });

  test('a full session: accounts, pairing, server routes, sharing, invites, relay, admin, federation', async () => {
    const reg = async (h: TestHub, name: string, route = 'POST /api/v1/auth/register'): Promise<TestUser> => {
      const r = await call(h, route, {
        body: { username: name, email: `${name}@example.test`, password: 'correct horse battery' },
      });
      return {
        id: r.body.user.id,
        username: name,
        email: `${name}@example.test`,
        password: 'correct horse battery',
        token: r.body.access_token,
        refresh: r.body.refresh_token,
        auth: { Authorization: `Bearer ${r.body.access_token}` },
      };
    };
    const admin = await reg(hub, 'oa_admin');
    const bob = await reg(hub, 'oa_bob');
    const carol = await registerUser(hub, 'oa_carol');
    const dave = await reg(hub, 'oa_dave', 'POST /api/v1/auth/signup');
    const login = await call(hub, 'POST /api/v1/auth/login', {
      body: { username: 'oa_bob', password: 'correct horse battery' },
    });
    await call(hub, 'POST /api/v1/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    await call(hub, 'POST /api/v1/auth/login', {
      headers: { 'X-Phlix-Session': 'cookie' },
      body: { username: 'oa_bob', password: 'correct horse battery' },
    });

    const me = await call(hub, 'GET /api/v1/me', { headers: admin.auth });
    exactKeys('GET /api/v1/me', me.body);
    await call(hub, 'GET /api/v1/auth/me', { headers: admin.auth });
    await call(hub, 'PATCH /api/v1/me', { headers: dave.auth, body: { display_name: 'Dave' } });
    await call(hub, 'POST /api/v1/me/password', {
      headers: dave.auth,
      body: { current_password: 'correct horse battery', new_password: 'a longer horse battery' },
    });
    await call(hub, 'GET /.well-known/jwks.json');
    for (const r of [
      'GET /health',
      'GET /health/live',
      'GET /health/ready',
      'GET /api/v1/hub',
      'GET /.well-known/phlix-hub.json',
    ]) {
      await call(hub, r);
    }

    // pairing: challenge → proven claims/new → poll (pending) → redeem → poll (enrollment) → poll again
    await call(hub, 'POST /api/v1/server-claims/challenge', { headers: PROTO });
    const key = makeServerKey();
    const started = await call(hub, 'POST /api/v1/server-claims/new', {
      headers: PROTO,
      body: await provenClaimBody(hub, key),
    });
    exactKeys('POST /api/v1/server-claims/new', started.body, { without: ['serverId', 'server_id'] });
    const claimId = started.body.claimId as string;
    expect(
      (await call(hub, 'GET /api/v1/server-claims/{claimId}', { headers: PROTO, params: { claimId } })).body.status,
    ).toBe('pending');
    await call(hub, 'POST /api/v1/server-claims/claim', {
      headers: { ...PROTO, ...admin.auth },
      body: { claim_code: started.body.claimCode },
    });
    const delivered = await call(hub, 'GET /api/v1/server-claims/{claimId}', { headers: PROTO, params: { claimId } });
    exactKeys('GET /api/v1/server-claims/{claimId}', delivered.body);
    expect(
      (await call(hub, 'GET /api/v1/server-claims/{claimId}', { headers: PROTO, params: { claimId } })).body,
    ).toEqual({ status: 'claimed', server_id: delivered.body.server_id });
    const id = delivered.body.server_id as string;
    let srv = { Authorization: `Bearer ${delivered.body.enrollment_jwt}`, ...PROTO };

    // headless: a claim token makes claims/new claimed at once (the optional serverId twins)
    const ct = await call(hub, 'POST /api/v1/me/claim-tokens', { headers: admin.auth });
    const headless = await call(hub, 'POST /api/v1/server-claims/new', {
      headers: PROTO,
      body: claimRequestBody(makeServerKey(), { claimToken: ct.body.claim_token, name: 'Spare' }),
    });
    exactKeys('POST /api/v1/server-claims/new', headless.body);
    expect(headless.body.serverId).toBe(headless.body.server_id);
    const spareId = headless.body.server_id as string;

    // the server's own routes
    await call(hub, 'POST /api/v1/servers/{id}/heartbeat', { headers: srv, params: { id }, body: heartbeatBody(id) });
    const renewed = await call(hub, 'POST /api/v1/servers/{id}/renew', { headers: srv, params: { id } });
    srv = { Authorization: `Bearer ${renewed.body.enrollment_jwt}`, ...PROTO };
    await call(hub, 'GET /api/v1/servers/{id}/info', { headers: srv, params: { id } });

    // the owner's views
    const list = await call(hub, 'GET /api/v1/me/servers', { headers: admin.auth });
    exactKeys('GET /api/v1/me/servers', list.body);
    expect(list.body.servers.length).toBe(2);
    for (const s of list.body.servers) {
      expect(Object.keys(s).sort()).toEqual(declaredKeys(doc, { $ref: '#/components/schemas/ServerInfoDto' }).sort());
    }
    await call(hub, 'GET /api/v1/me/servers/{id}', { headers: admin.auth, params: { id } });
    await call(hub, 'GET /api/v1/me/libraries', { headers: admin.auth });
    await call(hub, 'PATCH /api/v1/me/servers/{id}', {
      headers: admin.auth,
      params: { id: spareId },
      body: { name: 'Spare room' },
    });

    // sharing
    const sh = await call(hub, 'POST /api/v1/me/shares', {
      headers: admin.auth,
      body: { server_id: id, username: bob.username, permission: 'download' },
    });
    await call(hub, 'PATCH /api/v1/me/shares/{id}', {
      headers: admin.auth,
      params: { id: sh.body.id },
      body: { permission: 'download', expires_at: '2027-01-01T00:00:00.000Z', allow_raw_channels: true },
    });
    const shares = await call(hub, 'GET /api/v1/me/shares', { headers: bob.auth });
    exactKeys('GET /api/v1/me/shares', shares.body);
    expect(shares.body.incoming.length).toBe(1);
    exactKeys('POST /api/v1/me/shares', shares.body.incoming[0], { status: 201 });
    await call(hub, 'GET /api/v1/servers/{id}/shares', { headers: srv, params: { id } });
    const inv = await call(hub, 'POST /api/v1/me/invite-links', {
      headers: admin.auth,
      body: { server_id: id, library_id: 'lib-movies', permission: 'view', max_uses: 2 },
    });
    await call(hub, 'GET /api/v1/me/invite-links', { headers: admin.auth });
    await call(hub, 'GET /api/v1/invite-links/{token}', { params: { token: inv.body.token } });
    await call(hub, 'POST /api/v1/invite-links/{token}/redeem', {
      headers: carol.auth,
      params: { token: inv.body.token },
    });
    await call(hub, 'POST /api/v1/me/invite-links/{token}/redeem', {
      headers: dave.auth,
      params: { token: inv.body.token },
    });

    // relay: usage, limits and client tokens
    await call(hub, 'GET /api/v1/me/bandwidth', { headers: bob.auth });
    const rt = await call(hub, 'POST /api/v1/me/servers/{id}/relay-token', { headers: bob.auth, params: { id } });
    await call(hub, 'GET /api/v1/me/relay-tokens', { headers: bob.auth });
    await call(hub, 'DELETE /api/v1/me/relay-tokens/{id}', { headers: bob.auth, params: { id: rt.body.id } });
    await call(hub, 'POST /api/v1/me/servers/{id}/relay-token', { headers: bob.auth, params: { id } });
    expect(
      (await call(hub, 'DELETE /api/v1/me/servers/{id}/relay-token', { headers: bob.auth, params: { id } })).body,
    ).toEqual({ revoked: 1 });
    const ml = await call(hub, 'POST /api/v1/me/media-links', {
      headers: bob.auth,
      body: { server_id: id, path: '/media/', ttl_seconds: 300 },
    });
    await call(hub, 'DELETE /api/v1/me/media-links/{id}', { headers: bob.auth, params: { id: ml.body.id } });
    await call(hub, 'POST /api/v1/me/servers/{id}/open', { headers: bob.auth, params: { id } });

    // admin
    const au = admin.auth;
    await call(hub, 'GET /api/v1/admin/users', { headers: au });
    const made = await call(hub, 'POST /api/v1/admin/users', {
      headers: au,
      body: { username: 'oa_erin', email: 'oa_erin@example.test', password: 'correct horse battery' },
    });
    await call(hub, 'GET /api/v1/admin/users/{id}', { headers: au, params: { id: made.body.id } });
    await call(hub, 'PATCH /api/v1/admin/users/{id}', {
      headers: au,
      params: { id: made.body.id },
      body: { display_name: 'Erin' },
    });
    await call(hub, 'GET /api/v1/admin/users/{id}/bandwidth', { headers: au, params: { id: bob.id } });
    await call(hub, 'PUT /api/v1/admin/users/{id}/quota', {
      headers: au,
      params: { id: bob.id },
      body: { quota_bytes_in: 1000, quota_bytes_out: null, max_concurrent_streams: 2 },
    });
    await call(hub, 'PUT /api/v1/admin/users/{id}/throttle', {
      headers: au,
      params: { id: bob.id },
      body: { throttle_bps: 1_000_000 },
    });
    await call(hub, 'GET /api/v1/admin/relay/usage', { headers: au });
    await call(hub, 'GET /api/v1/admin/servers', { headers: au });
    await call(hub, 'GET /api/v1/admin/shares', { headers: au });
    await call(hub, 'GET /api/v1/admin/invite-links', { headers: au });
    await call(hub, 'GET /api/v1/admin/dashboard', { headers: au });
    await call(hub, 'GET /api/v1/admin/dashboard/summary', { headers: au });
    await call(hub, 'GET /api/v1/admin/cluster', { headers: au });
    await call(hub, 'GET /api/v1/admin/audit-logs', { headers: au });
    await call(hub, 'GET /api/v1/admin/hub-info', { headers: au });
    await call(hub, 'PUT /api/v1/admin/hub-info', {
      headers: au,
      body: { name: 'Typed Hub', terms_of_service: 'https://hub.test/terms' },
    });

    // federation: a peer trusts this hub; a user of this hub links there
    const peerAdmin = await reg(peer, 'oa_peer_admin');
    const jwks = (await hub.http().get('/.well-known/jwks.json').expect(200)).body;
    const t = await call(peer, 'POST /api/v1/admin/trusted-hubs', {
      headers: peerAdmin.auth,
      body: { hub_id: 'hub-test', name: 'Home', url: 'http://hub.test:8800', jwks },
    });
    await call(peer, 'GET /api/v1/admin/trusted-hubs', { headers: peerAdmin.auth });
    await call(peer, 'GET /api/v1/admin/trusted-hubs/{id}', { headers: peerAdmin.auth, params: { id: t.body.id } });
    const idt = await call(hub, 'POST /api/v1/me/identity-tokens', {
      headers: bob.auth,
      body: { audience_hub_id: 'hub-peer' },
    });
    await call(peer, 'POST /api/v1/auth/link', { body: { identity_token: idt.body.identity_token } });
    await call(peer, 'PATCH /api/v1/admin/trusted-hubs/{id}', {
      headers: peerAdmin.auth,
      params: { id: t.body.id },
      body: { blocked: true },
    });
    await call(peer, 'DELETE /api/v1/admin/trusted-hubs/{id}', { headers: peerAdmin.auth, params: { id: t.body.id } });

    // endings (204s and the release answers)
    await call(hub, 'DELETE /api/v1/me/invite-links/{id}', { headers: admin.auth, params: { id: inv.body.id } });
    await call(hub, 'DELETE /api/v1/admin/invite-links/{id}', {
      headers: au,
      params: {
        id: (
          await hub.http().post('/api/v1/me/invite-links').set(admin.auth).send({ server_id: id, permission: 'view' })
        ).body.id,
      },
    });
    await call(hub, 'DELETE /api/v1/me/shares/{id}', { headers: admin.auth, params: { id: sh.body.id } });
    const again = await hub
      .http()
      .post('/api/v1/me/shares')
      .set(admin.auth)
      .send({ server_id: id, username: bob.username, permission: 'view' })
      .expect(201);
    await call(hub, 'DELETE /api/v1/admin/shares/{id}', { headers: au, params: { id: again.body.id } });
    await call(hub, 'POST /api/v1/admin/servers/{id}/release', { headers: au, params: { id: spareId } });
    await call(hub, 'DELETE /api/v1/admin/users/{id}', { headers: au, params: { id: made.body.id } });
    await call(hub, 'DELETE /api/v1/servers/{id}', { headers: srv, params: { id } });
    const third = await pair(hub, admin);
    await call(hub, 'DELETE /api/v1/me/servers/{id}', { headers: admin.auth, params: { id: third } });
    await call(hub, 'POST /api/v1/auth/logout', { headers: bob.auth, body: { refresh_token: bob.refresh } });

    expect(problems).toEqual([]);
    // the session reached every documented JSON operation that can succeed: a new route is called above
    const all = Object.entries(doc.paths)
      .filter(([p]) => !OUTSIDE_NEST.some((o) => o.match.test(p)))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .filter((k) => !NEVER_SUCCEED[k]);
    expect(all.filter((k) => !checked.has(k))).toEqual([]);
  });

  test('the check itself catches a key the schema does not declare, a missing one and a wrong type', () => {
    const schema = responseSchema(doc, 'get', '/api/v1/me', 200)!;
    const good = {
      id: '3f0c1c5e-8a51-4c1e-9a59-0c3e6f8f3f11',
      username: 'u',
      email: null,
      display_name: 'U',
      is_admin: false,
      disabled: false,
      region: null,
      linked_hub_id: null,
      created_at: '2026-01-01T00:00:00.000Z',
    };
    expect(schemaProblems(doc, schema, good)).toEqual([]);
    const { region: _r, ...missing } = good;
    expect(schemaProblems(doc, schema, { ...missing, extra: 1, is_admin: 'no' })).toEqual([
      '$.region: required, missing',
      '$.is_admin: expected a boolean, got "no"',
      '$.extra: sent but not declared',
    ]);
  });
});

/** Pair one more server for `user` (code path), returning its id. */
async function pair(hub: TestHub, user: TestUser): Promise<string> {
  const s = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PROTO)
    .send(claimRequestBody(makeServerKey(), { name: 'Third' }))
    .expect(200);
  const c = await hub
    .http()
    .post('/api/v1/server-claims/claim')
    .set(PROTO)
    .set(user.auth)
    .send({ claim_code: s.body.claimCode })
    .expect(200);
  return c.body.server_id as string;
}
