import { Controller, Get, Module } from '@nestjs/common';
import { createTestHub, TestHub } from './helpers/hub.js';
import { Public } from '../src/common/auth.decorators.js';
import { HubError, rateLimited } from '../src/common/hub-error.js';

@Controller('t-errors')
class ErrorsController {
  @Public() @Get('boom') boom() {
    throw new Error('secret internals at /srv/x.ts:12');
  }
  @Public() @Get('limited') limited() {
    throw rateLimited('rate.limited', 12.2);
  }
  @Public() @Get('hub') hub() {
    throw new HubError('user.not_found', 'No such user');
  }
}
@Module({ controllers: [ErrorsController] })
class ErrorsModule {}

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub({ modules: [ErrorsModule] });
});
afterAll(async () => {
  await hub.close();
});

describe('health', () => {
  test('GET /health: liveness + database readiness', async () => {
    const r = await hub.http().get('/health').expect(200);
    expect(r.body).toMatchObject({ status: 'ok', live: true, ready: true, db: 'up' });
    // the terminus result rides along: the database ping by name
    expect(r.body).toMatchObject({
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
    expect(typeof r.body.uptime_s).toBe('number');
    await hub.http().get('/health/live').expect(200);
    expect((await hub.http().get('/health/ready').expect(200)).body).toMatchObject({ ready: true, db: 'up' });
  });

  test('database down → /health and /health/ready 503 service.unavailable, /health/live still 200', async () => {
    const h = await createTestHub();
    try {
      await h.ds.destroy();
      const r = await h.http().get('/health');
      expect([r.status, r.body.code]).toEqual([503, 'service.unavailable']);
      expect((await h.http().get('/health/ready')).status).toBe(503);
      await h.http().get('/health/live').expect(200);
    } finally {
      await h.close().catch(() => undefined);
    }
  });
});

describe('errors', () => {
  test('unknown route → 404 {error, code: route.not_found}', async () => {
    // a GET outside /api, /health, /.well-known, /metrics is the web app's (history fallback: test/web-serve)
    for (const [m, p] of [
      ['get', '/api/nope'],
      ['post', '/nope'],
      ['post', '/api/v1/nope'],
      ['delete', '/health'],
    ] as const) {
      const r = await hub.http()[m](p);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: expect.any(String), code: 'route.not_found' });
    }
  });

  test('an unexpected exception → 500 {error: "Internal error", code: internal.error}, nothing leaked', async () => {
    const r = await hub.http().get('/t-errors/boom');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: 'Internal error', code: 'internal.error' });
    expect(r.text).not.toMatch(/secret|srv|stack/);
  });

  test('HubError → its registered status; 429 carries Retry-After', async () => {
    const r = await hub.http().get('/t-errors/hub');
    expect([r.status, r.body]).toEqual([404, { error: 'No such user', code: 'user.not_found' }]);
    const l = await hub.http().get('/t-errors/limited');
    expect([l.status, l.body.code, l.headers['retry-after']]).toEqual([429, 'rate.limited', '13']);
  });

  test('an unregistered code cannot be thrown', () => {
    // @ts-expect-error: an unregistered code does not compile either
    expect(() => new HubError('no.such_code', 'x')).toThrow(/not registered/);
  });

  test('security headers on every answer', async () => {
    for (const p of ['/health', '/nope', '/api/docs-json']) {
      const r = await hub.http().get(p);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('OpenAPI', () => {
  test('/api/docs-json lists the routes with their methods and security', async () => {
    const r = await hub.http().get('/api/docs-json').expect(200);
    const doc = r.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Phlix Hub');
    const expected: [string, string][] = [
      ['/api/v1/auth/register', 'post'],
      ['/api/v1/auth/login', 'post'],
      ['/api/v1/auth/refresh', 'post'],
      ['/api/v1/auth/logout', 'post'],
      ['/api/v1/me', 'get'],
      ['/api/v1/auth/me', 'get'],
      ['/.well-known/jwks.json', 'get'],
      ['/health', 'get'],
      ['/api/v1/admin/users', 'get'],
      ['/api/v1/admin/users', 'post'],
      ['/api/v1/admin/users/{id}', 'get'],
      ['/api/v1/admin/users/{id}', 'patch'],
      ['/api/v1/admin/users/{id}', 'delete'],
    ];
    for (const [p, m] of expected) expect(doc.paths[p]?.[m]).toBeDefined();
    expect(doc.paths['/api/v1/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/admin/users'].get.parameters.map((x: { name: string }) => x.name).sort()).toEqual([
      'page',
      'per_page',
      'q',
    ]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['bearer', 'enrollment-jwt']));
  });
});
