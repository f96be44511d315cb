/**
 * "No route ever answers 500 for input": every controller route of the booted hub (including
 * routes features add later) gets hostile input — malformed JSON, wrong JSON types, junk path
 * ids and query strings — anonymously and as an admin. A crash (500 internal.error), an answer
 * without the {error, code} body, or a hang fails; deliberate 5xx answers (501 not implemented,
 * 502/503/504 from an unreachable server) with a registered code are fine.
 */
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { createTestHub, registerAdmin, TestHub, TestUser } from './helpers/hub.js';

let hub: TestHub;
let admin: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  admin = await registerAdmin(hub);
});
afterAll(async () => {
  await hub.close();
});

function routes(): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const mod of hub.app.get(ModulesContainer, { strict: false }).values()) {
    for (const w of mod.controllers.values()) {
      const ctrl = w.metatype as (new () => unknown) | null;
      if (!ctrl) continue;
      for (const base of [Reflect.getMetadata(PATH_METADATA, ctrl) ?? ''].flat()) {
        for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
          const h = ctrl.prototype[name];
          const p = typeof h === 'function' ? Reflect.getMetadata(PATH_METADATA, h) : undefined;
          const m = typeof h === 'function' ? Reflect.getMetadata(METHOD_METADATA, h) : undefined;
          if (p === undefined || m === undefined) continue;
          for (const sub of [p].flat()) {
            out.push({
              method: RequestMethod[m],
              path: `/${[base, sub]
                .map((s: string) => s.replace(/^\/+|\/+$/g, ''))
                .filter(Boolean)
                .join('/')}`,
            });
          }
        }
      }
    }
  }
  return out;
}

const JUNK_IDS = [
  'x',
  '0',
  '-1',
  'null',
  '9b2f7c1e-3d4a-4b5c-8d6e-7f8091a2b3c4',
  'Z'.repeat(300),
  '%E2%82%AC%00',
  '..%2F..%2Fetc',
];
const BODIES: [string, string][] = [
  ['application/json', '{bad'],
  ['application/json', '[]'],
  ['application/json', 'null'],
  ['application/json', '"s"'],
  ['application/json', '42'],
  ['application/json', '{"id":{"$gt":""},"name":[1,2],"page":-1,"x":"' + 'y'.repeat(5000) + '"}'],
  ['application/json', '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'],
  ['text/plain', 'hello'],
];
const QUERIES = ['?page=-1&per_page=abc', '?q[]=1&q[x]=2', '?limit=1e309&offset=NaN', `?q=${'%'.repeat(3)}`];

test('no route crashes on hostile input (anonymous and admin)', async () => {
  // signing out ends the admin's session: fuzz those routes last, so every other route sees a live admin
  const endsSession = (p: string) => (/\/auth\/logout/.test(p) ? 1 : 0);
  const list = routes()
    .filter((r) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
    .sort((a, b) => endsSession(a.path) - endsSession(b.path));
  expect(list.length).toBeGreaterThan(5);
  const failures: string[] = [];
  for (const { method, path } of list) {
    const paths = path.includes(':') ? JUNK_IDS.map((id) => path.replace(/:[A-Za-z0-9_]+/g, id)) : [path];
    const bodies = method === 'GET' || method === 'DELETE' ? [undefined] : BODIES;
    // each kind of junk on its own (ids × queries × bodies would be thousands of requests)
    const cases: [string, string, [string, string] | undefined][] = [
      ...paths.map((p): [string, string, [string, string] | undefined] => [p, '', bodies[0]]),
      ...QUERIES.map((q): [string, string, [string, string] | undefined] => [paths[0], q, bodies[0]]),
      ...bodies.slice(1).map((b): [string, string, [string, string] | undefined] => [paths[0], '', b]),
    ];
    for (const auth of [{}, admin.auth]) {
      await Promise.all(
        cases.map(async ([p, q, body]) => {
          let req = hub
            .http()
            [method.toLowerCase() as 'get'](p + q)
            .set(auth)
            .timeout(5000);
          if (body) req = req.set('content-type', body[0]).send(body[1]);
          const r = await req.catch((e: Error) => ({
            status: 599,
            body: { code: e.message } as Record<string, unknown>,
          }));
          const crashed =
            r.status === 500 ||
            r.status === 599 ||
            (r.status >= 400 && (typeof r.body?.code !== 'string' || typeof r.body?.error !== 'string')) ||
            r.body?.code === 'internal.error';
          if (crashed) {
            failures.push(
              `${method} ${p}${q} ${body ? body[1].slice(0, 30) : ''} [${Object.keys(auth).length ? 'admin' : 'anon'}] → ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`,
            );
          }
        }),
      );
    }
  }
  expect(failures).toEqual([]);
  // the admin is still an admin, and still the only one (no prototype-pollution side effects);
  // the fuzzed sign-out ended the old session, so sign in again
  const login = await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: admin.username, password: admin.password })
    .expect(200);
  const me = await hub
    .http()
    .get('/api/v1/me')
    .set({ Authorization: `Bearer ${login.body.access_token}` })
    .expect(200);
  expect(me.body.is_admin).toBe(true);
}, 60_000);
