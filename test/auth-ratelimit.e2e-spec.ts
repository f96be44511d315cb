import { createTestHub, TestHub } from './helpers/hub.js';
import { AuditLog } from '../src/audit/entities/audit-log.entity.js';
import { User } from '../src/users/entities/user.entity.js';

const LIMITS = {
  HUB_TRUST_PROXY: 'true',
  HUB_LOGIN_MAX_FAILURES: '3',
  HUB_LOGIN_IP_MAX_FAILURES: '5',
  HUB_LOGIN_ACCOUNT_MAX_FAILURES: '8',
  HUB_SIGNUP_RATE_LIMIT: '3',
};
const WINDOW_S = 900;

let hub: TestHub;
let ipSeq = 0;
const nextIp = () => `198.51.100.${++ipSeq}`;
beforeAll(async () => {
  hub = await createTestHub({ env: LIMITS });
});
afterAll(async () => {
  await hub.close();
});

const login = (h: TestHub, body: object, ip: string) =>
  h.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send(body);
const register = (h: TestHub, ip: string, name = `u${Math.random().toString(36).slice(2, 10)}`) =>
  h
    .http()
    .post('/api/v1/auth/register')
    .set('X-Forwarded-For', ip)
    .send({ username: name, email: `${name}@example.test`, password: 'password-123' });

function expect429(
  r: { status: number; body: { code: string }; headers: Record<string, string> },
  maxSeconds = WINDOW_S,
) {
  expect([r.status, r.body.code]).toEqual([429, 'auth.rate_limited']);
  const ra = Number(r.headers['retry-after']);
  expect(Number.isInteger(ra)).toBe(true);
  expect(ra).toBeGreaterThanOrEqual(1);
  expect(ra).toBeLessThanOrEqual(maxSeconds);
}

const userId = async (username: string) => (await hub.ds.getRepository(User).findOneByOrFail({ username })).id;

/** A new account, registered from its own IP (so the sign-up limit does not get in the way). */
async function fresh(h: TestHub): Promise<{ username: string; email: string; password: string }> {
  const name = `u${Math.random().toString(36).slice(2, 10)}`;
  await register(h, nextIp(), name).expect(201);
  return { username: name, email: `${name}@example.test`, password: 'password-123' };
}

// Sign-in throttling (src/auth/login-throttle.ts). HUB_LOGIN_MAX_FAILURES counts per account AND
// address (it used to be per account, which let anyone lock anyone out); the per-address and the
// per-account ceilings do not apply to an address the account has signed in from.
describe('login limits', () => {
  test("an attacker failing many times from one address does not stop the owner signing in from another (here the hub's first account, an admin)", async () => {
    const a = await fresh(hub);
    const attacker = nextIp();
    for (let i = 0; i < 3; i++) {
      expect((await login(hub, { username: a.username, password: 'wrong-password' }, attacker)).status).toBe(401);
    }
    for (let i = 0; i < 30; i++) {
      expect429(await login(hub, { username: a.username, password: 'wrong-password' }, attacker));
    }
    // the owner, from an address never seen before, by username and by email
    const ok = await login(hub, { username: a.username, password: a.password }, nextIp()).expect(200);
    expect(ok.body.user.is_admin).toBe(true);
    await login(hub, { email: a.email.toUpperCase(), password: a.password }, nextIp()).expect(200);
  });

  test('brute force from one address on one account is stopped, even with the right password; locks grow (progressive)', async () => {
    const a = await fresh(hub);
    const ip = nextIp();
    for (let i = 0; i < 3; i++) {
      expect((await login(hub, { username: a.username, password: 'guess-' + i }, ip)).status).toBe(401);
    }
    const locked = await login(hub, { username: a.username, password: a.password }, ip);
    expect429(locked);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(WINDOW_S - 5);
    hub.clock.advance((WINDOW_S + 1) * 1000);
    for (let i = 0; i < 3; i++) {
      expect((await login(hub, { username: a.username, password: 'again-' + i }, ip)).status).toBe(401);
    }
    const second = await login(hub, { username: a.username, password: a.password }, ip);
    expect429(second, 2 * WINDOW_S);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(WINDOW_S + 5); // the second lock is longer
    hub.clock.advance((2 * WINDOW_S + 1) * 1000);
    await login(hub, { username: a.username, password: a.password }, ip).expect(200);
  });

  test('a success clears the account+address counter', async () => {
    const a = await fresh(hub);
    const ip = nextIp();
    for (let i = 0; i < 2; i++) {
      expect((await login(hub, { username: a.username, password: 'nope-nope' }, ip)).status).toBe(401);
    }
    await login(hub, { username: a.username, password: a.password }, ip).expect(200);
    for (let i = 0; i < 3; i++) {
      expect((await login(hub, { username: a.username, password: 'nope-nope' }, ip)).status).toBe(401);
    }
    expect429(await login(hub, { username: a.username, password: 'nope-nope' }, ip));
  });

  test("distributed guessing: the per-account ceiling stops new addresses, not the owner's known address", async () => {
    const a = await fresh(hub);
    const home = nextIp();
    await login(hub, { username: a.username, password: a.password }, home).expect(200);
    for (let i = 0; i < 8; i++) {
      expect((await login(hub, { username: a.username, password: 'spray-1' }, nextIp())).status).toBe(401);
    }
    expect429(await login(hub, { username: a.username, password: a.password }, nextIp()));
    await login(hub, { username: a.username, password: a.password }, home).expect(200);
  });

  test('per address: failures against many (even unknown) accounts block that address for accounts that never signed in from it', async () => {
    const regular = await fresh(hub);
    const other = await fresh(hub);
    const ip = nextIp();
    for (let i = 0; i < 8; i++) {
      await login(hub, { username: regular.username, password: regular.password }, ip).expect(200);
    }
    for (let i = 0; i < 5; i++) {
      expect((await login(hub, { username: `ghost${i}`, password: 'whatever-1' }, ip)).status).toBe(401);
    }
    expect429(await login(hub, { username: other.username, password: other.password }, ip));
    await login(hub, { username: other.username, password: other.password }, nextIp()).expect(200);
    // the address's own regular user is not locked out by what others did from it
    await login(hub, { username: regular.username, password: regular.password }, ip).expect(200);
  });

  test('parallel guesses from one address cannot overshoot the limit', async () => {
    const a = await fresh(hub);
    const ip = nextIp();
    const rs = await Promise.all(
      Array.from({ length: 12 }, () => login(hub, { username: a.username, password: 'parallel-guess' }, ip)),
    );
    const codes = rs.map((r) => r.status);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(3);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(9);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
  });

  test('refused sign-ins are audited as one row per limit and window, carrying the count', async () => {
    const a = await fresh(hub);
    const ip = nextIp();
    for (let i = 0; i < 3; i++) {
      expect((await login(hub, { username: a.username, password: 'wrong-password' }, ip)).status).toBe(401);
    }
    for (let i = 0; i < 40; i++) expect429(await login(hub, { username: a.username, password: 'wrong-password' }, ip));
    const rows = await hub.ds
      .getRepository(AuditLog)
      .findBy({ action: 'auth.login_limited', actorId: await userId(a.username) });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'denied', ip });
    expect(JSON.parse(rows[0].details ?? '{}')).toMatchObject({ limit: 'pair', refused: 40 });
    // parallel refusals still land on the one row
    await Promise.all(
      Array.from({ length: 10 }, () => login(hub, { username: a.username, password: 'wrong-password' }, ip)),
    );
    const after = await hub.ds
      .getRepository(AuditLog)
      .findBy({ action: 'auth.login_limited', actorId: await userId(a.username) });
    expect(after).toHaveLength(1);
    expect(JSON.parse(after[0].details ?? '{}').refused).toBeGreaterThanOrEqual(41);
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
      const guesser = nextIp();
      for (let i = 0; i < 3; i++) {
        expect((await login(h1, { username: a.username, password: 'wrong-password' }, guesser)).status).toBe(401);
      }
      for (let i = 0; i < 3; i++) await register(h1, ip).expect(201);
      await h1.close();
      h2 = await createTestHub({ env: LIMITS, dataDir: h1.dataDir, dbUrl: h1.dbUrl, cleanup: true });
      expect429(await login(h2, { username: a.username, password: a.password }, guesser));
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
      const guesser = nextIp();
      for (let i = 0; i < 3; i++) {
        const h = i % 2 ? h2 : h1;
        expect((await login(h, { username: a.username, password: 'wrong-password' }, guesser)).status).toBe(401);
      }
      expect429(await login(h2, { username: a.username, password: a.password }, guesser));
      expect429(await login(h1, { username: a.username, password: a.password }, guesser));
    } finally {
      await h2.close();
      await h1.close();
    }
  });
});
