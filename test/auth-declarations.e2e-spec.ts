/**
 * Every HTTP route of the hub declares who may call it (@Public/@UserAuth/@AdminAuth/@ServerAuth/
 * @CustomAuth). This walks the controllers of the fully booted app, so routes added later by any
 * feature are checked automatically. Also: every error code thrown in src/ is registered.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Controller, Get, Module, RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { createTestHub, TestHub } from './helpers/hub.js';
import { AUTH_KIND, AUTH_OPTS, Public } from '../src/common/auth.decorators.js';
import { allErrorCodes, ERROR_CODES } from '../src/common/error-codes.js';

interface Route {
  route: string;
  kind: unknown;
  opts: unknown;
}

/** All controller routes of an app: "GET /path (Controller.method)" with their auth declaration. */
function walkRoutes(app: INestApplicationContext): Route[] {
  const reflector = app.get(Reflector, { strict: false });
  const routes: Route[] = [];
  const seen = new Set<unknown>();
  for (const mod of app.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!ctrl || seen.has(ctrl)) continue;
      seen.add(ctrl);
      const base = [Reflect.getMetadata(PATH_METADATA, ctrl) ?? ''].flat();
      let proto = ctrl.prototype;
      const names = new Set<string>();
      while (proto && proto !== Object.prototype) {
        for (const n of Object.getOwnPropertyNames(proto)) if (n !== 'constructor') names.add(n);
        proto = Object.getPrototypeOf(proto);
      }
      for (const name of names) {
        const handler = ctrl.prototype[name];
        if (typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        const method = Reflect.getMetadata(METHOD_METADATA, handler);
        if (path === undefined || method === undefined) continue;
        for (const b of base) {
          for (const p of [path].flat()) {
            const full = `/${[b, p]
              .map((s: string) => s.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            routes.push({
              route: `${RequestMethod[method]} ${full} (${ctrl.name}.${name})`,
              kind: reflector.getAllAndOverride(AUTH_KIND, [handler, ctrl]),
              opts: reflector.getAllAndOverride(AUTH_OPTS, [handler, ctrl]),
            });
          }
        }
      }
    }
  }
  return routes;
}

const KINDS = ['public', 'user', 'admin', 'server', 'custom'];
const undeclared = (routes: Route[]) =>
  routes
    .filter(
      (r) => !KINDS.includes(r.kind as string) || (r.kind === 'custom' && !(r.opts as { reason?: string })?.reason),
    )
    .map((r) => r.route);

@Controller('t-undeclared')
class UndeclaredController {
  @Get('x') x() {
    return { ok: true };
  }
  @Public() @Get('y') y() {
    return { ok: true };
  }
}
@Module({ controllers: [UndeclaredController] })
class UndeclaredModule {}

describe('auth declarations', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  test('every route of the booted hub declares its auth kind', () => {
    const routes = walkRoutes(hub.app);
    // the walk really sees the app (guards against a walker that finds nothing)
    const seen = routes.map((r) => r.route.replace(/ \(.*$/, ''));
    for (const r of [
      'GET /health',
      'GET /.well-known/jwks.json',
      'POST /api/v1/auth/login',
      'GET /api/v1/me',
      'PATCH /api/v1/admin/users/:id',
    ]) {
      expect(seen).toContain(r);
    }
    expect(undeclared(routes)).toEqual([]);
  });

  test('the walker flags a route without a declaration, and the guard refuses it at run time', async () => {
    const ref = await Test.createTestingModule({ imports: [UndeclaredModule] }).compile();
    expect(undeclared(walkRoutes(ref))).toEqual(['GET /t-undeclared/x (UndeclaredController.x)']);
    await ref.close();
    const h = await createTestHub({ modules: [UndeclaredModule] });
    try {
      const r = await h.http().get('/t-undeclared/x');
      expect([r.status, r.body.code]).toEqual([401, 'auth.required']);
      await h.http().get('/t-undeclared/y').expect(200);
    } finally {
      await h.close();
    }
  });
});

describe('error code registry', () => {
  const SRC = join(process.cwd(), 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  const sources = files(SRC).map((f) => ({ file: relative(process.cwd(), f), text: readFileSync(f, 'utf8') }));

  /** Codes used literally: new HubError('x'…), rateLimited('x'…), uuidPipe('x'…), expiredCode: 'x'. */
  const USES = [
    /new\s+HubError\(\s*(['"`])([^'"`]+)\1/g,
    /rateLimited\(\s*(['"`])([^'"`]+)\1/g,
    /uuidPipe\(\s*(['"`])([^'"`]+)\1/g,
    /expiredCode:\s*(['"`])([^'"`]+)\1/g,
  ];

  function registeredStatically(): Set<string> {
    const set = new Set(Object.keys(ERROR_CODES));
    for (const { text } of sources) {
      for (const m of text.matchAll(/registerErrorCodes\(\s*\{([\s\S]*?)\}\s*\)/g)) {
        for (const k of m[1].matchAll(/['"]([a-z0-9_]+(?:\.[a-z0-9_]+)+)['"]\s*:/g)) set.add(k[1]);
      }
    }
    return set;
  }

  test('the scan finds the codes the hub uses (sanity)', () => {
    const used = sources.flatMap(({ text }) => USES.flatMap((re) => [...text.matchAll(re)].map((m) => m[2])));
    for (const c of ['auth.invalid_token', 'user.not_found', 'auth.rate_limited', 'user.last_admin']) {
      expect(used).toContain(c);
    }
  });

  test('every literal code in src/ is registered (ERROR_CODES or registerErrorCodes)', async () => {
    // codes registered at run time by booted modules count too
    const hub = await createTestHub();
    const runtime = new Set(Object.keys(allErrorCodes()));
    await hub.close();
    const registered = registeredStatically();
    const missing: string[] = [];
    for (const { file, text } of sources) {
      for (const re of USES) {
        for (const m of text.matchAll(re)) {
          if (m[1] === '`' && m[2].includes('${')) continue;
          if (!registered.has(m[2]) && !runtime.has(m[2])) missing.push(`${file}: ${m[2]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  test('registered codes are domain.reason with a 4xx/5xx status', () => {
    for (const [code, status] of Object.entries(allErrorCodes())) {
      expect(code).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
      expect(status >= 400 && status <= 599).toBe(true);
    }
  });
});
