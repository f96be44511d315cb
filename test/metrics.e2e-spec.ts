import { createTestHub, registerAdmin, registerUser, TestHub } from './helpers/hub.js';
import { stubPresence } from './helpers/presence.js';
import { RELAY_STREAM_ROUTE } from '../src/metrics/http-metrics.js';
import { recordRelayBytes } from '../src/metrics/relay-bytes.js';
import { pairServer } from './helpers/servers.js';
import { hubUrl, rawRequest, relayHub, startAgent, startOrigin } from './helpers/relay.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';
import type { FastifyRequest } from 'fastify';
import { networkInterfaces } from 'node:os';
import { isLocalScrape } from '../src/metrics/metrics.controller.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('/metrics scraped from this host (no HUB_METRICS_TOKEN)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  test('Prometheus text with latency by route template, logins, relay gauges and bytes, DB pool, process RSS', async () => {
    const admin = await registerAdmin(hub);
    const u = await registerUser(hub, 'metricsvictim_zq');
    await hub.http().post('/api/v1/auth/login').send({ username: u.username, password: 'nope-nope-nope' }).expect(401);
    await hub.http().post('/api/v1/auth/login').send({ email: u.email, password: u.password }).expect(200);
    await hub.http().get(`/api/v1/admin/users/${u.id}`).set(admin.auth).expect(200);
    await hub
      .http()
      .get(`/api/v1/admin/users?q=${encodeURIComponent(u.email)}`)
      .set(admin.auth)
      .expect(200);
    await hub.http().get(`/api/no/such/${u.id}/${u.username}`).expect(404);
    const restorePresence = stubPresence(hub, { activeTunnels: () => 3, activeStreams: () => 7 });
    recordRelayBytes('out', 12345);

    const r = await hub.http().get('/metrics').expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    const t = r.text;
    expect(t).toMatch(
      /phlix_hub_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/admin\/users\/:id",status="200"\} 1/,
    );
    expect(t).toMatch(/phlix_hub_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/);
    expect(t).toMatch(/phlix_hub_logins_total\{outcome="success"\} 1/);
    expect(t).toMatch(/phlix_hub_logins_total\{outcome="failure"\} 1/);
    expect(t).toMatch(/phlix_hub_relay_tunnels_active 3/);
    expect(t).toMatch(/phlix_hub_relay_streams_active 7/);
    expect(t).toMatch(/phlix_hub_relay_bytes_total\{direction="out"\} 12345/);
    expect(t).toMatch(/phlix_hub_db_pool_connections\{state="total"\} [1-9]/);
    expect(t).toMatch(/phlix_hub_users 2/);
    expect(t).toMatch(/phlix_hub_claims_total/);
    expect(t).toMatch(/process_resident_memory_bytes \d+/);
    expect(t).toMatch(/phlix_hub_audit_events_total\{action="auth.login_failed",outcome="failure"\} 1/);
    restorePresence();

    // no user data anywhere: ids, usernames, emails, tokens, client addresses, query strings
    for (const s of [
      u.id,
      admin.id,
      u.username,
      u.email,
      admin.username,
      u.token,
      admin.token,
      'metricsvictim',
      '127.0.0.1',
      '?q=',
    ]) {
      expect(t).not.toContain(s);
    }
    const labelValues = [...t.matchAll(/\{([^}]*)\}/g)].flatMap((m) =>
      [...m[1].matchAll(/="([^"]*)"/g)].map((x) => x[1]),
    );
    expect(labelValues.length).toBeGreaterThan(10);
    for (const v of labelValues) {
      expect(v).not.toMatch(UUID);
      expect(v).not.toMatch(/@/);
    }
  });

  test('relay proxy streams are kept out of the API latency histogram', () => {
    for (const r of [
      '/api/v1/servers/:id/proxy/*',
      '/api/v1/servers/:id/proxy',
      '/relay/live/:sessionId/*',
      '/api/v1/servers/:id/stream/*',
    ]) {
      expect(RELAY_STREAM_ROUTE.test(r)).toBe(true);
    }
    for (const r of [
      '/api/v1/me/servers',
      '/api/v1/servers/:id/heartbeat',
      '/api/v1/me/shares',
      '/api/v1/auth/login',
      'unmatched',
    ]) {
      expect(RELAY_STREAM_ROUTE.test(r)).toBe(false);
    }
  });
});

describe('/metrics without a token is not world-readable', () => {
  let hub: TestHub;
  let open: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ env: { HUB_TRUST_PROXY: 'true' } });
    open = await createTestHub({ env: { HUB_METRICS_PUBLIC: 'true' } });
  });
  afterAll(async () => {
    await hub.close();
    await open.close();
  });
  const fakeReq = (remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ raw: { socket: { remoteAddress } }, ip: remoteAddress, headers }) as unknown as FastifyRequest;

  test('by default only this host may scrape: a remote socket address is refused', () => {
    for (const addr of ['203.0.113.9', '10.0.0.5', '::ffff:192.168.1.20', '2001:db8::1', '0.0.0.0', '128.0.0.1']) {
      expect([addr, isLocalScrape(fakeReq(addr))]).toEqual([addr, false]);
    }
    for (const addr of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      expect([addr, isLocalScrape(fakeReq(addr))]).toEqual([addr, true]);
    }
  });

  test('a request through a proxy (even one on this host) gets 403 metrics.forbidden; a local scrape gets the metrics', async () => {
    for (const h of [
      { 'X-Forwarded-For': '203.0.113.9' },
      { Forwarded: 'for=203.0.113.9' },
      { 'X-Real-IP': '203.0.113.9' },
      { 'X-Forwarded-For': '127.0.0.1' },
    ]) {
      const r = await hub.http().get('/metrics').set(h);
      expect([r.status, r.body]).toEqual([403, { error: expect.any(String), code: 'metrics.forbidden' }]);
      expect(r.text).not.toContain('phlix_hub_');
    }
    const ok = await hub.http().get('/metrics').expect(200);
    expect(ok.text).toContain('phlix_hub_http_request_duration_seconds');
  });

  test('a scrape from another address of this machine (not loopback) is refused', async () => {
    const ext = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!ext) return; // no non-loopback interface here: covered by the isLocalScrape cases above
    const h = await createTestHub();
    try {
      await h.app.listen(0, '0.0.0.0');
      const port = (h.server.address() as { port: number }).port;
      const r = await rawRequest(`http://${ext.address}:${port}/metrics`);
      expect([r.status, JSON.parse(r.body.toString()).code]).toEqual([403, 'metrics.forbidden']);
      expect((await rawRequest(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  test('HUB_METRICS_PUBLIC=true opens it to every address', async () => {
    const r = await open.http().get('/metrics').set('X-Forwarded-For', '198.51.100.4').expect(200);
    expect(r.text).toContain('phlix_hub_http_request_duration_seconds');
  });
});

describe('/metrics behind HUB_METRICS_TOKEN', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ env: { HUB_METRICS_TOKEN: 'scrape-secret-0123456789' } });
  });
  afterAll(async () => {
    await hub.close();
  });

  test('no token → 401, wrong token → 401, right token → 200; the token never appears in the output', async () => {
    const none = await hub.http().get('/metrics');
    expect([none.status, none.body.code]).toEqual([401, 'auth.required']);
    const wrong = await hub.http().get('/metrics').set('Authorization', 'Bearer scrape-secret-0123456788');
    expect([wrong.status, wrong.body.code]).toEqual([401, 'auth.invalid_token']);
    const user = await registerUser(hub);
    expect((await hub.http().get('/metrics').set(user.auth)).status).toBe(401);
    const ok = await hub.http().get('/metrics').set('Authorization', 'Bearer scrape-secret-0123456789').expect(200);
    expect(ok.text).toContain('phlix_hub_http_request_duration_seconds');
    expect(ok.text).not.toContain('scrape-secret');
  });
});

describe('relayed requests', () => {
  let hub: TestHub;
  let agent: RelayAgent | undefined;
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  beforeAll(async () => {
    hub = await relayHub();
    origin = await startOrigin((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(1000));
    });
  });
  afterAll(async () => {
    await agent?.stop();
    await hub.close();
    await origin.close();
  });

  test('proxy streams get their own histogram, never the API one; tunnels and dashboard see the live tunnel', async () => {
    const admin = await registerAdmin(hub);
    const paired = await pairServer(hub, admin);
    agent = await startAgent(hub, paired, origin.url);
    for (let i = 0; i < 3; i++) {
      const r = await rawRequest(`${hubUrl(hub)}/api/v1/servers/${paired.serverId}/proxy/movie/${i}`, {
        headers: admin.auth,
      });
      expect(r.status).toBe(200);
    }
    const t = (await hub.http().get('/metrics').expect(200)).text;
    expect(t).toMatch(/phlix_hub_relay_proxy_duration_seconds_count\{status_class="2xx"\} 3/);
    expect(t).not.toMatch(/phlix_hub_http_request_duration_seconds_count\{[^}]*proxy/);
    expect(t).toMatch(/phlix_hub_relay_tunnels_active 1/);
    expect(t).toMatch(/phlix_hub_claims_total\{outcome="success"\} 1/);
    expect(t).not.toContain(paired.serverId);
    const d = await hub.http().get('/api/v1/admin/dashboard').set(admin.auth).expect(200);
    expect(d.body.relay.active_tunnels).toBe(1);
    expect(d.body.servers.online).toBe(1);
  });
});
