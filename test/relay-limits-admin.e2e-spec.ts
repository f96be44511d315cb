import { randomUUID } from 'node:crypto';
import { createTestHub, registerAdmin, registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { RelayUsageService } from '../src/relay/limits/usage.service.js';
import { reauth } from './helpers/sharing-fixtures.js';

let hub: TestHub;
let admin: TestUser;
let user: TestUser;
let other: TestUser;

beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_RELAY_USER_THROTTLE_BPS: '3000000', HUB_RELAY_USER_MAX_STREAMS: '7' } });
  admin = await registerAdmin(hub);
  user = await registerUser(hub);
  other = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const serverA = randomUUID();
const serverB = randomUUID();
const limitsRows = async () => Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_user_limits'))[0].n);
const audits = async (action: string) =>
  hub.ds.query('SELECT actor_id, target_id, details FROM audit_logs WHERE action = ? ORDER BY at', [action]) as Promise<
    { actor_id: string; target_id: string; details: string }[]
  >;

describe('GET /api/v1/me/bandwidth', () => {
  test('401 without a token', async () => {
    const r = await hub.http().get('/api/v1/me/bandwidth').expect(401);
    expect(r.body.code).toBe('auth.required');
  });

  test('a new user: nothing used, the hub defaults, this UTC month', async () => {
    const r = await hub.http().get('/api/v1/me/bandwidth').set(user.auth).expect(200);
    expect(r.body).toEqual({
      user_id: user.id,
      period: '2026-01',
      period_start: '2026-01-01T00:00:00.000Z',
      period_end: '2026-02-01T00:00:00.000Z',
      bytes_in: 0,
      bytes_out: 0,
      quota_bytes_in: 0,
      quota_bytes_out: 0,
      max_concurrent_streams: 7,
      throttle_bps: 3000000,
      active_streams: 0,
      servers: [],
    });
  });

  test("metered bytes show per server, only the caller's own; a bad period is 400", async () => {
    const usage = hub.get(RelayUsageService);
    usage.add('2026-01', user.id, serverA, 1000, 10);
    usage.add('2026-01', user.id, serverB, 500, 0);
    usage.add('2026-01', other.id, serverA, 99999, 0);
    usage.add('2025-12', user.id, serverA, 7, 7);
    const r = await hub.http().get('/api/v1/me/bandwidth').set(user.auth).expect(200);
    expect([r.body.bytes_in, r.body.bytes_out]).toEqual([1500, 10]);
    expect(r.body.servers).toEqual(
      expect.arrayContaining([
        { server_id: serverA, server_name: null, bytes_in: 1000, bytes_out: 10 },
        { server_id: serverB, server_name: null, bytes_in: 500, bytes_out: 0 },
      ]),
    );
    expect(r.body.overrides).toBeUndefined();
    const dec = await hub.http().get('/api/v1/me/bandwidth?period=2025-12').set(user.auth).expect(200);
    expect([dec.body.bytes_in, dec.body.bytes_out]).toEqual([7, 7]);
    await hub.http().get('/api/v1/me/bandwidth?period=2026-13').set(user.auth).expect(400);
  });
});

describe('admin: usage and per-user limits', () => {
  test('401 without a token, 403 for a normal user, on every admin route', async () => {
    const routes: [string, string, object?][] = [
      ['get', '/api/v1/admin/relay/usage'],
      ['get', `/api/v1/admin/users/${user.id}/bandwidth`],
      [
        'put',
        `/api/v1/admin/users/${user.id}/quota`,
        { quota_bytes_in: 1, quota_bytes_out: 1, max_concurrent_streams: 1 },
      ],
      ['put', `/api/v1/admin/users/${user.id}/throttle`, { throttle_bps: 1000000 }],
    ];
    for (const [m, path, body] of routes) {
      const anon = await (
        hub.http() as unknown as Record<string, (p: string) => { send(b?: object): Promise<{ status: number }> }>
      )[m]!(path).send(body);
      expect(anon.status).toBe(401);
      const r = await (
        hub.http() as unknown as Record<
          string,
          (p: string) => { set(h: object): { send(b?: object): Promise<{ status: number; body: { code: string } }> } }
        >
      )[m]!(path)
        .set(user.auth)
        .send(body);
      expect([path, r.status, r.body.code]).toEqual([path, 403, 'auth.not_admin']);
    }
    expect(await limitsRows()).toBe(0);
  });

  test('PUT quota: bad input is 400 and writes nothing', async () => {
    const bad = [
      {},
      { quota_bytes_in: -1, quota_bytes_out: 0, max_concurrent_streams: 0 },
      { quota_bytes_in: 1125899906842625, quota_bytes_out: 0, max_concurrent_streams: 0 },
      { quota_bytes_in: '5', quota_bytes_out: 0, max_concurrent_streams: 0 },
      { quota_bytes_in: 1.5, quota_bytes_out: 0, max_concurrent_streams: 0 },
      { quota_bytes_in: 0, quota_bytes_out: 0, max_concurrent_streams: 1001 },
      { quota_bytes_in: 0, quota_bytes_out: 0 },
      { quota_bytes_in: 0, quota_bytes_out: 0, max_concurrent_streams: 0, extra: 1 },
    ];
    for (const body of bad) {
      const r = await hub.http().put(`/api/v1/admin/users/${user.id}/quota`).set(admin.auth).send(body);
      expect([JSON.stringify(body), r.status, r.body.code]).toEqual([
        JSON.stringify(body),
        400,
        'request.validation_failed',
      ]);
    }
    await hub
      .http()
      .put(`/api/v1/admin/users/${randomUUID()}/quota`)
      .set(admin.auth)
      .send({ quota_bytes_in: 1, quota_bytes_out: 1, max_concurrent_streams: 1 })
      .expect(404);
    await hub
      .http()
      .put('/api/v1/admin/users/not-a-uuid/quota')
      .set(admin.auth)
      .send({ quota_bytes_in: 1, quota_bytes_out: 1, max_concurrent_streams: 1 })
      .expect(404);
    expect(await limitsRows()).toBe(0);
  });

  test('PUT quota: durable, audited, shown to the admin and the user; null goes back to the default', async () => {
    const r = await hub
      .http()
      .put(`/api/v1/admin/users/${user.id}/quota`)
      .set(admin.auth)
      .send({ quota_bytes_in: 1073741824, quota_bytes_out: 0, max_concurrent_streams: 2 })
      .expect(200);
    expect(r.body).toMatchObject({
      user_id: user.id,
      quota_bytes_in: 1073741824,
      quota_bytes_out: 0,
      max_concurrent_streams: 2,
      throttle_bps: 3000000,
    });
    expect(r.body.overrides).toEqual({
      quota_bytes_in: 1073741824,
      quota_bytes_out: 0,
      max_concurrent_streams: 2,
      throttle_bps: null,
    });
    const me = await hub.http().get('/api/v1/me/bandwidth').set(user.auth).expect(200);
    expect([me.body.quota_bytes_in, me.body.max_concurrent_streams]).toEqual([1073741824, 2]);
    const a = await audits('user.quota.set');
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ actor_id: admin.id, target_id: user.id });
    expect(JSON.parse(a[0]!.details)).toEqual({
      before: { quota_bytes_in: null, quota_bytes_out: null, max_concurrent_streams: null, throttle_bps: null },
      after: { quota_bytes_in: 1073741824, quota_bytes_out: 0, max_concurrent_streams: 2, throttle_bps: null },
    });
    // another user is untouched
    const o = await hub.http().get('/api/v1/me/bandwidth').set(other.auth).expect(200);
    expect(o.body.max_concurrent_streams).toBe(7);
    const reset = await hub
      .http()
      .put(`/api/v1/admin/users/${user.id}/quota`)
      .set(admin.auth)
      .send({ quota_bytes_in: 1073741824, quota_bytes_out: 0, max_concurrent_streams: null })
      .expect(200);
    expect(reset.body.max_concurrent_streams).toBe(7);
  });

  test('PUT throttle: levels validated, audited as user.throttle.set, kept apart from the quota', async () => {
    for (const throttle_bps of [1000, -5, 'fast', 100_000_000_001, undefined]) {
      const r = await hub.http().put(`/api/v1/admin/users/${user.id}/throttle`).set(admin.auth).send({ throttle_bps });
      expect([throttle_bps, r.status]).toEqual([throttle_bps, 400]);
    }
    const r = await hub
      .http()
      .put(`/api/v1/admin/users/${user.id}/throttle`)
      .set(admin.auth)
      .send({ throttle_bps: 5000000 })
      .expect(200);
    expect([r.body.throttle_bps, r.body.quota_bytes_in]).toEqual([5000000, 1073741824]);
    await hub
      .http()
      .put(`/api/v1/admin/users/${user.id}/throttle`)
      .set(admin.auth)
      .send({ throttle_bps: 0 })
      .expect(200);
    expect((await hub.http().get('/api/v1/me/bandwidth').set(user.auth)).body.throttle_bps).toBe(0);
    expect(await audits('user.throttle.set')).toHaveLength(2);
  });

  test('limits survive the month boundary (durable settings, not per-period rows); usage starts again', async () => {
    await hub
      .http()
      .put(`/api/v1/admin/users/${user.id}/throttle`)
      .set(admin.auth)
      .send({ throttle_bps: 1000000 })
      .expect(200);
    const t0 = hub.clock.now();
    hub.clock.set(Date.UTC(2026, 1, 1, 0, 0, 1));
    await reauth(hub, admin);
    try {
      const r = await hub.http().get(`/api/v1/admin/users/${user.id}/bandwidth`).set(admin.auth).expect(200);
      expect(r.body).toMatchObject({
        period: '2026-02',
        bytes_in: 0,
        bytes_out: 0,
        quota_bytes_in: 1073741824,
        throttle_bps: 1000000,
      });
      const jan = await hub
        .http()
        .get(`/api/v1/admin/users/${user.id}/bandwidth?period=2026-01`)
        .set(admin.auth)
        .expect(200);
      expect(jan.body.bytes_in).toBe(1500);
    } finally {
      hub.clock.set(t0);
      await reauth(hub, admin);
    }
  });

  test('GET admin/relay/usage: per user and per server, biggest first, with names', async () => {
    const r = await hub.http().get('/api/v1/admin/relay/usage?period=2026-01').set(admin.auth).expect(200);
    expect(r.body).toMatchObject({ period: '2026-01', bytes_in: 1500 + 99999, bytes_out: 10, active_streams: 0 });
    expect(r.body.users).toEqual([
      { user_id: other.id, username: other.username, bytes_in: 99999, bytes_out: 0 },
      { user_id: user.id, username: user.username, bytes_in: 1500, bytes_out: 10 },
    ]);
    expect(r.body.servers).toEqual([
      { server_id: serverA, server_name: null, bytes_in: 100999, bytes_out: 10 },
      { server_id: serverB, server_name: null, bytes_in: 500, bytes_out: 0 },
    ]);
    const one = await hub.http().get('/api/v1/admin/relay/usage?period=2026-01&limit=1').set(admin.auth).expect(200);
    expect(one.body.users).toHaveLength(1);
    for (const q of ['limit=0', 'limit=501', 'period=2026-1', 'limit=x']) {
      await hub.http().get(`/api/v1/admin/relay/usage?${q}`).set(admin.auth).expect(400);
    }
    await hub.http().get(`/api/v1/admin/users/${randomUUID()}/bandwidth`).set(admin.auth).expect(404);
  });

  test('a deleted user leaves no limits or usage behind', async () => {
    const gone = await registerUser(hub);
    await hub
      .http()
      .put(`/api/v1/admin/users/${gone.id}/throttle`)
      .set(admin.auth)
      .send({ throttle_bps: 1000000 })
      .expect(200);
    hub.get(RelayUsageService).add('2026-01', gone.id, serverA, 5, 5);
    await hub.get(RelayUsageService).flush();
    await hub.http().delete(`/api/v1/admin/users/${gone.id}`).set(admin.auth).expect(204);
    expect(
      Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_user_limits WHERE user_id = ?', [gone.id]))[0].n),
    ).toBe(0);
    expect(
      Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_usage WHERE user_id = ?', [gone.id]))[0].n),
    ).toBe(0);
  });
});
