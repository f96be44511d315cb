import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestHub, registerUser, TestHub } from './helpers/hub.js';

/** The hub serves the built web app at / with a history fallback; the API paths are untouched. */
describe('web app serving', () => {
  let hub: TestHub;
  let dir: string;
  const INDEX =
    '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phlix-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("app")');
    writeFileSync(join(dir, 'assets', 'app-abc123.css'), 'body{}');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.secret'), 'hidden');
    writeFileSync(join(tmpdir(), 'phlix-web-outside.txt'), 'outside');
    hub = await createTestHub({ env: { HUB_WEB_DIR: dir } });
  });
  afterAll(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with the app headers', async () => {
    const r = await hub.http().get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toBe(INDEX);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['/servers', '/invite/abc.DEF-123_x', '/admin/users?x=1', '/a/b/c/d', '/missing.txt'])(
    'falls back to index.html for %s',
    async (path) => {
      const r = await hub.http().get(path);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.text).toBe(INDEX);
    },
  );

  it('serves build files with their content type; hashed assets are immutable', async () => {
    const js = await hub.http().get('/assets/app-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.text).toBe('console.log("app")');
    const css = await hub.http().get('/assets/app-abc123.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await hub.http().get('/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('HEAD answers the headers without a body', async () => {
    const r = await hub.http().head('/assets/app-abc123.js');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.text ?? '').toBe('');
  });

  it('a missing hashed asset is a JSON 404, not the app document', async () => {
    const r = await hub.http().get('/assets/gone-000.js');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('route.not_found');
  });

  it('never serves dotfiles or files outside the build', async () => {
    for (const p of [
      '/.secret',
      '/%2esecret',
      '/../phlix-web-outside.txt',
      '/%2e%2e/phlix-web-outside.txt',
      '/assets/..%2f..%2fphlix-web-outside.txt',
    ]) {
      const r = await hub.http().get(p);
      expect(r.text === INDEX || r.body?.code === 'route.not_found').toBe(true);
      expect(r.text).not.toBe('hidden');
      expect(r.text).not.toBe('outside');
    }
  });

  it('the API, health, well-known and metrics paths behave as before', async () => {
    const nf = await hub.http().get('/api/v1/nope');
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ error: 'Cannot GET /api/v1/nope', code: 'route.not_found' });
    const bare = await hub.http().get('/api');
    expect(bare.status).toBe(404);
    expect(bare.body.code).toBe('route.not_found');
    expect((await hub.http().get('/health')).status).toBe(200);
    expect((await hub.http().get('/health/nope')).body.code).toBe('route.not_found');
    expect((await hub.http().get('/.well-known/jwks.json')).body.keys.length).toBeGreaterThan(0);
    expect((await hub.http().get('/.well-known/nope')).body.code).toBe('route.not_found');
    expect((await hub.http().get('/metrics')).headers['content-type']).toMatch(/^text\/plain/);
    expect((await hub.http().get('/metricsx')).body.code).toBe('route.not_found');
    const u = await registerUser(hub);
    const me = await hub.http().get('/api/v1/me').set(u.auth);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(u.username);
    // other methods on app paths are not the app's
    const post = await hub.http().post('/servers').send({});
    expect(post.status).toBe(404);
    expect(post.body.code).toBe('route.not_found');
  });

  it('other methods on non-reserved paths get the API 404, HEAD gets the app', async () => {
    for (const m of ['post', 'put', 'patch', 'delete'] as const) {
      const r = await hub.http()[m]('/some/unknown/page').send({ a: 1 });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: `Cannot ${m.toUpperCase()} /some/unknown/page`, code: 'route.not_found' });
    }
    const head = await hub.http().head('/servers');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(head.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('an over-long API path parameter is the router 414; a long app path is the app', async () => {
    const long = 'x'.repeat(600);
    const api = await hub.http().get(`/api/v1/servers/${long}`);
    expect(api.status).toBe(414);
    expect(api.body).toEqual({ error: expect.any(String), code: 'request.uri_too_long' });
    const app = await hub.http().get(`/servers/${long}`);
    expect(app.status).toBe(200);
    expect(app.text).toBe(INDEX);
  });

  it("every path starting with a reserved prefix is the API's, even without a slash after it", async () => {
    for (const p of ['/apix', '/api-docs', '/healthz', '/.well-knownx']) {
      const r = await hub.http().get(p);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: `Cannot GET ${p}`, code: 'route.not_found' });
    }
    const missing = await hub.http().head('/assets/gone-000.js');
    expect(missing.status).toBe(404);
  });
});

describe('web app not built', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ env: { HUB_WEB_DIR: join(tmpdir(), 'phlix-web-does-not-exist') } });
  });
  afterAll(async () => hub?.close());

  it('answers 503 web.not_built in JSON, and the API still works', async () => {
    for (const p of ['/', '/servers', '/invite/x']) {
      const r = await hub.http().get(p);
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('web.not_built');
      expect(r.body.error).toMatch(/npm run build/);
    }
    expect((await hub.http().get('/health')).status).toBe(200);
    expect((await hub.http().get('/api/v1/hub')).status).toBe(200);
  });
});
