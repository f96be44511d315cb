import { randomUUID } from 'node:crypto';
import { createTestHub, registerAdmin, registerUser, TestHub } from './helpers/hub.js';
import { AuditService, type AuditAction } from '../src/audit/audit.service.js';
import { AuditRetentionService } from '../src/audit/audit-retention.service.js';
import { HubSettings } from '../src/common/hub-settings.service.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await createTestHub({ env: { HUB_AUDIT_RETENTION_DAYS: '30' } });
});
afterAll(async () => {
  await hub.close();
});

const DAY = 86_400_000;

test('audit never stores secrets: secret keys at any depth, JWT/PEM-looking values', async () => {
  const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  await hub.get(AuditService).record({
    action: 'ops.secret_probe' as AuditAction,
    actorType: 'system',
    details: {
      password: 'hunter2-password',
      new_password: 'pw-2',
      refresh_token: 'rt-secret',
      claim_code: 'ABCD-1234',
      enrollment_jwt: jwt,
      api_key: 'k-secret',
      nested: { client_secret: 'cs-secret', deeper: [{ token: 'tok-secret', ok: 'kept-value' }] },
      note: jwt,
      pem: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA\n-----END PRIVATE KEY-----',
      visible: 'fine',
    },
  });
  const rows: { details: string }[] = await hub.ds.query(
    "SELECT details FROM audit_logs WHERE action = 'ops.secret_probe'",
  );
  expect(rows).toHaveLength(1);
  const raw = rows[0].details;
  for (const s of [
    'hunter2',
    'pw-2',
    'rt-secret',
    'ABCD-1234',
    jwt,
    'k-secret',
    'cs-secret',
    'tok-secret',
    'PRIVATE KEY',
    'MC4CAQAw',
  ]) {
    expect(raw).not.toContain(s);
  }
  expect(JSON.parse(raw)).toEqual({
    nested: { deeper: [{ ok: 'kept-value' }] },
    note: '[redacted]',
    pem: '[redacted]',
    visible: 'fine',
  });
});

test('login, register and failed-login records carry no password', async () => {
  const admin = await registerAdmin(hub).catch(() => null);
  const u = await registerUser(hub);
  await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: u.username, password: 'definitely-wrong-pw' })
    .expect(401);
  await hub.http().post('/api/v1/auth/login').send({ username: u.username, password: u.password }).expect(200);
  const rows: Record<string, unknown>[] = await hub.ds.query('SELECT * FROM audit_logs');
  const dump = JSON.stringify(rows);
  expect(dump).not.toContain('definitely-wrong-pw');
  expect(dump).not.toContain(u.password);
  expect(dump).not.toContain(u.refresh);
  expect(dump).not.toContain(u.token);
  void admin;
});

async function seed(n: number, at: number, action = 'ops.old') {
  const values = Array.from({ length: n }, () => [randomUUID(), at, action, 'system', 'success']);
  for (let i = 0; i < values.length; i += 200) {
    const chunk = values.slice(i, i + 200);
    await hub.ds.query(
      `INSERT INTO audit_logs (id, at, action, actor_type, outcome) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flat(),
    );
  }
}
const count = async (action: string) =>
  Number((await hub.ds.query('SELECT COUNT(*) AS n FROM audit_logs WHERE action = ?', [action]))[0].n);

test('retention: rows older than HUB_AUDIT_RETENTION_DAYS are purged in bounded batches; newer rows stay', async () => {
  const now = hub.clock.now();
  await seed(2500, now - 31 * DAY, 'ops.old');
  await seed(10, now - 29 * DAY, 'ops.recent');
  const svc = hub.get(AuditRetentionService);
  // bounded: at most maxBatches × 1000 rows per call
  expect(await svc.purgeExpired({ force: true, maxBatches: 2 })).toBe(2000);
  expect(await count('ops.old')).toBe(500);
  expect(await svc.purgeExpired({ force: true })).toBe(500);
  expect(await count('ops.old')).toBe(0);
  expect(await count('ops.recent')).toBe(10);
  const purged: { details: string }[] = await hub.ds.query(
    "SELECT details FROM audit_logs WHERE action = 'audit.purged'",
  );
  expect(purged.map((p) => JSON.parse(p.details).deleted).sort()).toEqual([2000, 500]);
});

test('retention: one process per interval wins the DB lease (several hub processes share the DB)', async () => {
  const now = hub.clock.now();
  await seed(5, now - 40 * DAY, 'ops.lease');
  const svc = hub.get(AuditRetentionService);
  const [a, b, c] = await Promise.all([svc.purgeExpired(), svc.purgeExpired(), svc.purgeExpired()]);
  expect([a, b, c].sort()).toEqual([0, 0, 5]);
  await seed(5, now - 40 * DAY, 'ops.lease');
  expect(await svc.purgeExpired()).toBe(0); // same interval: lease already taken
  hub.clock.advance(3600_000);
  expect(await svc.purgeExpired()).toBe(5);
});

test('retention: the live setting audit.retention_days overrides the env value', async () => {
  const now = hub.clock.now();
  await seed(3, now - 10 * DAY, 'ops.setting');
  const svc = hub.get(AuditRetentionService);
  expect(await svc.purgeExpired({ force: true })).toBe(0);
  await hub.get(HubSettings).set('audit.retention_days', '7');
  expect(await svc.retentionDays()).toBe(7);
  expect(await svc.purgeExpired({ force: true })).toBe(3 + 10); // and the 29-day-old ops.recent rows
  expect(await count('ops.setting')).toBe(0);
  await hub.get(HubSettings).set('audit.retention_days', 'junk');
  expect(await svc.retentionDays()).toBe(30);
  await hub.get(HubSettings).set('audit.retention_days', null);
});
