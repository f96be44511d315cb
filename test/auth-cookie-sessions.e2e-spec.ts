import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { pairServer } from './helpers/servers.js';
import { Server } from '../src/servers/entities/server.entity.js';

/**
 * Browser sessions: `X-Phlix-Session: cookie` on sign-up / sign-in / refresh puts the session in
 * HttpOnly cookies; cookie-authenticated unsafe requests need the hub's Origin and X-CSRF-Token.
 */
const ORIGIN = 'http://hub.test:8800'; // HUB_PUBLIC_URL of test hubs

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub();
});
afterAll(async () => {
  await hub.close();
});

interface Jar {
  cookies: Map<string, string>;
  setCookie: string[];
  header(): string;
  csrf: string;
}

function jarFrom(setCookie: string[] | string | undefined, prev?: Jar): Jar {
  const cookies = new Map(prev?.cookies ?? []);
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const line of list) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (/Max-Age=0/.test(line)) cookies.delete(name);
    else cookies.set(name, value);
  }
  return {
    cookies,
    setCookie: list,
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    get csrf() {
      return cookies.get('phlix_csrf') ?? '';
    },
  };
}

async function cookieLogin(u: TestUser): Promise<Jar> {
  const r = await hub
    .http()
    .post('/api/v1/auth/login')
    .set('X-Phlix-Session', 'cookie')
    .send({ username: u.username, password: u.password });
  expect(r.status).toBe(200);
  return jarFrom(r.headers['set-cookie']);
}

/** Headers of a cookie request from the hub's own page. */
const fromPage = (j: Jar, extra: Record<string, string> = {}) => ({
  Cookie: j.header(),
  Origin: ORIGIN,
  'X-CSRF-Token': j.csrf,
  ...extra,
});

describe('cookie sign-in', () => {
  test('sets HttpOnly, SameSite=Lax session cookies and answers no tokens; the cookie authenticates', async () => {
    const u = await registerUser(hub);
    const r = await hub
      .http()
      .post('/api/v1/auth/login')
      .set('X-Phlix-Session', 'cookie')
      .send({ username: u.username, password: u.password });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      token_type: 'Cookie',
      expires_in: hub.cfg.auth.accessTtlSeconds,
      user: expect.objectContaining({ id: u.id }),
    });
    expect(JSON.stringify(r.body)).not.toMatch(/access_token|refresh_token/);
    const set = r.headers['set-cookie'] as unknown as string[];
    const session = set.find((c) => c.startsWith('phlix_session='))!;
    expect(session).toMatch(/; Path=\/;/);
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure|Domain=/i);
    expect(set.find((c) => c.startsWith('phlix_refresh='))).toMatch(/Path=\/api\/v1\/auth;.*HttpOnly/);
    const csrf = set.find((c) => c.startsWith('phlix_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/);
    const jar = jarFrom(set);
    const me = await hub.http().get('/api/v1/me').set('Cookie', jar.header());
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(u.id);
  });

  test('sign-up can start a cookie session too; an https hub marks the cookies Secure', async () => {
    const https = await createTestHub({ env: { HUB_PUBLIC_URL: 'https://hub.example.com' } });
    try {
      const r = await https
        .http()
        .post('/api/v1/auth/register')
        .set('X-Phlix-Session', 'cookie')
        .send({ username: 'secure_one', email: 'secure_one@example.test', password: 'correct horse battery' });
      expect(r.status).toBe(201);
      expect(r.body.token_type).toBe('Cookie');
      const set = r.headers['set-cookie'] as unknown as string[];
      expect(set).toHaveLength(3);
      for (const c of set) expect(c).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  test('refresh by cookie rotates the session (with the CSRF check), keeps the CSRF token', async () => {
    const u = await registerUser(hub);
    const jar = await cookieLogin(u);
    const noToken = await hub
      .http()
      .post('/api/v1/auth/refresh')
      .set('X-Phlix-Session', 'cookie')
      .set({ Cookie: jar.header(), Origin: ORIGIN });
    expect([noToken.status, noToken.body.code]).toEqual([403, 'auth.csrf_failed']);
    const r = await hub.http().post('/api/v1/auth/refresh').set('X-Phlix-Session', 'cookie').set(fromPage(jar));
    expect(r.status).toBe(200);
    expect(r.body.token_type).toBe('Cookie');
    const next = jarFrom(r.headers['set-cookie'], jar);
    expect(next.cookies.get('phlix_refresh')).not.toBe(jar.cookies.get('phlix_refresh'));
    expect(next.csrf).toBe(jar.csrf);
    await hub.http().get('/api/v1/me').set('Cookie', next.header()).expect(200);
    // without the header the route is the Bearer API: a body token is still required
    const bare = await hub.http().post('/api/v1/auth/refresh').set('Cookie', next.header()).send({});
    expect([bare.status, bare.body.code]).toEqual([400, 'request.validation_failed']);
  });
});

describe('CSRF', () => {
  let owner: TestUser;
  let jar: Jar;
  let serverId: string;
  beforeAll(async () => {
    owner = await registerUser(hub);
    jar = await cookieLogin(owner);
  });
  beforeEach(async () => {
    serverId = (await pairServer(hub, owner)).serverId;
  });
  const stillOwned = async () => (await hub.ds.getRepository(Server).findOneByOrFail({ id: serverId })).ownerId;

  test('a cookie-authenticated DELETE without X-CSRF-Token → 403 auth.csrf_failed, nothing changes', async () => {
    const r = await hub.http().delete(`/api/v1/me/servers/${serverId}`).set({ Cookie: jar.header(), Origin: ORIGIN });
    expect([r.status, r.body.code]).toEqual([403, 'auth.csrf_failed']);
    expect(await stillOwned()).toBe(owner.id);
    const wrong = await hub
      .http()
      .delete(`/api/v1/me/servers/${serverId}`)
      .set(fromPage(jar, { 'X-CSRF-Token': 'x'.repeat(43) }));
    expect([wrong.status, wrong.body.code]).toEqual([403, 'auth.csrf_failed']);
    expect(await stillOwned()).toBe(owner.id);
  });

  test('the right token from the wrong Origin → 403; no Origin and no Referer → 403', async () => {
    for (const origin of ['http://evil.test', 'http://hub.test:8801', 'https://hub.test:8800', 'null']) {
      const r = await hub
        .http()
        .delete(`/api/v1/me/servers/${serverId}`)
        .set(fromPage(jar, { Origin: origin }));
      expect([origin, r.status, r.body.code]).toEqual([origin, 403, 'auth.csrf_failed']);
    }
    const none = await hub
      .http()
      .delete(`/api/v1/me/servers/${serverId}`)
      .set({ Cookie: jar.header(), 'X-CSRF-Token': jar.csrf });
    expect(none.status).toBe(403);
    const badReferer = await hub
      .http()
      .delete(`/api/v1/me/servers/${serverId}`)
      .set({ Cookie: jar.header(), 'X-CSRF-Token': jar.csrf, Referer: 'http://evil.test/hub.test:8800/' });
    expect(badReferer.status).toBe(403);
    expect(await stillOwned()).toBe(owner.id);
  });

  test('from the hub page with the token the request is done (Referer counts when Origin is absent)', async () => {
    const r = await hub.http().delete(`/api/v1/me/servers/${serverId}`).set(fromPage(jar));
    expect(r.status).toBe(204);
    expect(await stillOwned()).toBeNull();
    const other = (await pairServer(hub, owner)).serverId;
    const byReferer = await hub
      .http()
      .delete(`/api/v1/me/servers/${other}`)
      .set({ Cookie: jar.header(), 'X-CSRF-Token': jar.csrf, Referer: `${ORIGIN}/servers` });
    expect(byReferer.status).toBe(204);
  });

  test('reads need no token; Bearer requests need neither Origin nor token, with or without cookies', async () => {
    await hub.http().get(`/api/v1/me/servers/${serverId}`).set('Cookie', jar.header()).expect(200);
    const r = await hub
      .http()
      .delete(`/api/v1/me/servers/${serverId}`)
      .set({ ...owner.auth, Cookie: jar.header(), Origin: 'http://evil.test' });
    expect(r.status).toBe(204);
  });
});

describe('Bearer API unaffected', () => {
  test('sign-up, sign-in and refresh without the header answer the token pair and set no cookie', async () => {
    const name = `bearer_${Date.now()}`;
    const reg = await hub
      .http()
      .post('/api/v1/auth/register')
      .send({ username: name, email: `${name}@example.test`, password: 'correct horse battery' });
    expect(reg.status).toBe(201);
    expect(Object.keys(reg.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type', 'user']);
    expect(reg.body.token_type).toBe('Bearer');
    expect(reg.headers['set-cookie']).toBeUndefined();
    const login = await hub
      .http()
      .post('/api/v1/auth/login')
      .send({ username: name, password: 'correct horse battery' });
    expect(login.headers['set-cookie']).toBeUndefined();
    const ref = await hub.http().post('/api/v1/auth/refresh').send({ refresh_token: login.body.refresh_token });
    expect(ref.status).toBe(200);
    expect(ref.headers['set-cookie']).toBeUndefined();
    await hub.http().get('/api/v1/me').set('Authorization', `Bearer ${ref.body.access_token}`).expect(200);
  });

  test('the relay proxy route does not take the session cookie (a server’s pages never act with it)', async () => {
    const u = await registerUser(hub);
    const s = await pairServer(hub, u);
    const jar = await cookieLogin(u);
    const r = await hub.http().get(`/api/v1/servers/${s.serverId}/proxy/`).set('Cookie', jar.header());
    expect([r.status, r.body.code]).toEqual([401, 'auth.required']);
  });
});

describe('sign-out and other users', () => {
  test('logout clears the cookies and ends the session (access and refresh cookies stop working)', async () => {
    const u = await registerUser(hub);
    const jar = await cookieLogin(u);
    const refused = await hub
      .http()
      .post('/api/v1/auth/logout')
      .set({ Cookie: jar.header(), Origin: 'http://evil.test', 'X-CSRF-Token': jar.csrf });
    expect(refused.status).toBe(403);
    await hub.http().get('/api/v1/me').set('Cookie', jar.header()).expect(200);
    const r = await hub.http().post('/api/v1/auth/logout').set(fromPage(jar));
    expect(r.status).toBe(204);
    const set = r.headers['set-cookie'] as unknown as string[];
    expect(set.map((c) => c.split('=')[0]).sort()).toEqual(['phlix_csrf', 'phlix_refresh', 'phlix_session']);
    for (const c of set) expect(c).toMatch(/Max-Age=0/);
    const me = await hub.http().get('/api/v1/me').set('Cookie', jar.header());
    expect([me.status, me.body.code]).toEqual([401, 'auth.invalid_token']);
    const again = await hub.http().post('/api/v1/auth/refresh').set('X-Phlix-Session', 'cookie').set(fromPage(jar));
    expect(again.status).toBe(401);
  });

  test('another user’s cookie session cannot read or change my things', async () => {
    const alice = await registerUser(hub);
    const bob = await registerUser(hub);
    const s = await pairServer(hub, alice);
    const bobJar = await cookieLogin(bob);
    const read = await hub.http().get(`/api/v1/me/servers/${s.serverId}`).set('Cookie', bobJar.header());
    expect(read.status).toBe(404);
    const list = await hub.http().get('/api/v1/me/servers').set('Cookie', bobJar.header());
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(s.serverId);
    const del = await hub.http().delete(`/api/v1/me/servers/${s.serverId}`).set(fromPage(bobJar));
    expect(del.status).toBe(404);
    expect((await hub.ds.getRepository(Server).findOneByOrFail({ id: s.serverId })).ownerId).toBe(alice.id);
  });

  test('a tampered session cookie → 401', async () => {
    const u = await registerUser(hub);
    const jar = await cookieLogin(u);
    jar.cookies.set('phlix_session', `${jar.cookies.get('phlix_session')!.slice(0, -4)}AAAA`);
    const r = await hub.http().get('/api/v1/me').set('Cookie', jar.header());
    expect(r.status).toBe(401);
  });
});

describe('password change from a browser session', () => {
  test('keeps the cookie session making the change and ends the others', async () => {
    const u = await registerUser(hub);
    const browser = await cookieLogin(u);
    const other = await cookieLogin(u);
    const next = `${u.password}-new!`;
    const r = await hub
      .http()
      .post('/api/v1/me/password')
      .set(fromPage(browser))
      .send({ current_password: u.password, new_password: next });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ changed: true, sessions_ended: 2 });
    // the browser that changed it stays signed in and can still refresh; the other session cannot
    const refreshed = await hub
      .http()
      .post('/api/v1/auth/refresh')
      .set('X-Phlix-Session', 'cookie')
      .set(fromPage(browser))
      .send({});
    expect(refreshed.status).toBe(200);
    const stale = await hub
      .http()
      .post('/api/v1/auth/refresh')
      .set('X-Phlix-Session', 'cookie')
      .set(fromPage(other))
      .send({});
    expect(stale.status).toBe(401);
  });
});
