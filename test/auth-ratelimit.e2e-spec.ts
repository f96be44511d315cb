import { createTestHub, TestHub } from './helpers/hub.js';

const LIMITS = { HUB_TRUST_PROXY: 'true', HUB_LOGIN_MAX_FAILURES: '3', HUB_LOGIN_IP_MAX_FAILURES: '5', HUB_SIGNUP_RATE_LIMIT: '3' };
const WINDOW_S = 900;

let hub: TestHub;
let ipSeq = 0;
const nextIp = () => `198.51.100.${++ipSeq}`;
beforeAll(async () => { hub = await createTestHub({ env: LIMITS }); });
afterAll(async () => { await hub.close(); });

const login = (h: TestHub, body: object, ip: string) => h.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send(body);
const register = (h: TestHub, ip: string, name = `u${Math.random().toString(36).slice(2, 10)}`) =>
  h.http().post('/api/v1/auth/register').set('X-Forwarded-For', ip).send({ username: name, email: `${name}@example.test`, password: 'password-123' });

function expect429(r: { status: number; body: { code: string }; headers: Record<string, string> }, maxSeconds = WINDOW_S) {
  expect([r.status, r.body.code]).toEqual([429, 'auth.rate_limited']);
  const ra = Number(r.headers['retry-after']);
  expect(Number.isInteger(ra)).toBe(true);
  expect(ra).toBeGreaterThanOrEqual(1);
  expect(ra).toBeLessThanOrEqual(maxSeconds);
}

/** A new account, registered from its own IP (so the sign-up limit does not get in the way). */
async function fresh(h: TestHub): Promise<{ username: string; email: string; password: string }> {
  const name = `u${Math.random().toString(36).slice(2, 10)}`;
  await register(h, nextIp(), name).expect(201);
  return { username: name, email: `${name}@example.test`, password: 'password-123' };
}

describe('login limits', () => {
  test('per account: failures from many IPs lock that account (username and email share one budget), others unaffected', async () => {
    const a = await fresh(hub);
    const b = await fresh(hub);
    for (let i = 0; i < 3; i++) {
      const body = i % 2 ? { email: a.email, password: 'wrong-password' } : { username: a.username, password: 'wrong-password' };
      expect((await login(hub, body, nextIp())).status).toBe(401);
    }
    // even the right password, from a new IP, is refused for the rest of the window
    expect429(await login(hub, { username: a.username, password: a.password }, nextIp()));
    expect429(await login(hub, { email: a.email.toUpperCase(), password: a.password }, nextIp()));
    await login(hub, { username: b.username, password: b.password }, nextIp()).expect(200);
    hub.clock.advance((WINDOW_S + 1) * 1000);
    await login(hub, { username: a.username, password: a.password }, nextIp()).expect(200);
  });

  test('a success clears the account counter', async () => {
    const a = await fresh(hub);
    const ip = nextIp();
    for (let i = 0; i < 2; i++) expect((await login(hub, { username: a.username, password: 'nope-nope' }, ip)).status).toBe(401);
    await login(hub, { username: a.username, password: a.password }, ip).expect(200);
    for (let i = 0; i < 3; i++) expect((await login(hub, { username: a.username, password: 'nope-nope' }, nextIp())).status).toBe(401);
    expect429(await login(hub, { username: a.username, password: 'nope-nope' }, nextIp()));
  });

  test('per IP: failures against many (even unknown) accounts block that IP only; successes do not count', async () => {
    const ok = await fresh(hub);
    const ip = nextIp();
    for (let i = 0; i < 8; i++) await login(hub, { username: ok.username, password: ok.password }, ip).expect(200);
    for (let i = 0; i < 5; i++) expect((await login(hub, { username: `ghost${i}`, password: 'whatever-1' }, ip)).status).toBe(401);
    expect429(await login(hub, { username: ok.username, password: ok.password }, ip));
    await login(hub, { username: ok.username, password: ok.password }, nextIp()).expect(200);
  });

  test('parallel guesses cannot overshoot the account limit', async () => {
    const a = await fresh(hub);
    const rs = await Promise.all(Array.from({ length: 12 }, () => login(hub, { username: a.username, password: 'parallel-guess' }, nextIp())));
    const codes = rs.map((r) => r.status);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(3);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(9);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
  });
});

describe('sign-up limit', () => {
  test('per IP, every attempt, 429 + Retry-After; another IP is unaffected', async () => {
    const ip = nextIp();
    for (let i = 0; i < 3; i++) await register(hub, ip).expect(201);
    expect429(await register(hub, ip), 3600);
    await register(hub, nextIp()).expect(201);
  });
});

describe('limits are held in the database', () => {
  test('they survive a restart of the hub on the same database', async () => {
    const h1 = await createTestHub({ env: LIMITS, keep: true });
    let h2: TestHub | undefined;
    try {
      const a = await fresh(h1);
      const ip = nextIp();
      for (let i = 0; i < 3; i++) expect((await login(h1, { username: a.username, password: 'wrong-password' }, nextIp())).status).toBe(401);
      for (let i = 0; i < 3; i++) await register(h1, ip).expect(201);
      await h1.close();
      h2 = await createTestHub({ env: LIMITS, dataDir: h1.dataDir, dbUrl: h1.dbUrl, cleanup: true });
      expect429(await login(h2, { username: a.username, password: a.password }, nextIp()));
      expect429(await register(h2, ip), 3600);
    } finally {
      await h2?.close();
    }
  });

  test('they hold across two hub processes sharing the database', async () => {
    const h1 = await createTestHub({ env: LIMITS });
    const h2 = await createTestHub({ env: LIMITS, dataDir: h1.dataDir, dbUrl: h1.dbUrl });
    try {
      const a = await fresh(h1);
      for (let i = 0; i < 3; i++) {
        const h = i % 2 ? h2 : h1;
        expect((await login(h, { username: a.username, password: 'wrong-password' }, nextIp())).status).toBe(401);
      }
      expect429(await login(h2, { username: a.username, password: a.password }, nextIp()));
      expect429(await login(h1, { username: a.username, password: a.password }, nextIp()));
    } finally {
      await h2.close();
      await h1.close();
    }
  });
});
