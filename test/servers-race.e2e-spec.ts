import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { claimRequestBody, makeServerKey, pairServer, PROTO, redeemCode, startClaim } from './helpers/servers.js';

/**
 * "First claim wins", proven with concurrent requests. On MariaDB (TEST_DB=mysql) the requests
 * truly overlap (a mutant without the conditional UPDATE lets several through); on SQLite the same
 * test runs against the serialised connection.
 */
let hub: TestHub;
let users: TestUser[];
beforeAll(async () => {
  hub = await createTestHub({ listen: true });
  await registerUser(hub);
  users = [];
  for (let i = 0; i < 50; i++) users.push(await registerUser(hub));
}, 120_000);
afterAll(async () => { await hub.close(); });

interface Req { method?: string; path: string; headers: Record<string, string>; body?: unknown }

/** Fire requests over already-open keep-alive connections, so they reach the hub together. */
async function together(n: number, make: (i: number) => Req): Promise<{ status: number; body: Record<string, string> }[]> {
  const base = `http://127.0.0.1:${(hub.app.getHttpServer().address() as { port: number }).port}`;
  await Promise.all(Array.from({ length: n }, () => fetch(`${base}/health/live`).then((r) => r.arrayBuffer())));
  return Promise.all(Array.from({ length: n }, async (_x, i) => {
    const m = make(i);
    const r = await fetch(base + m.path, {
      method: m.method ?? 'POST',
      headers: { ...(m.body !== undefined ? { 'content-type': 'application/json' } : {}), ...m.headers },
      body: m.body !== undefined ? JSON.stringify(m.body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : {} };
  }));
}

test('50 users claim one code at once: exactly one 200, the rest 409; one server row, owned by the winner', async () => {
  const key = makeServerKey();
  const s = await startClaim(hub, key);
  const results = await together(50, (i) => ({ path: '/api/v1/server-claims/claim', headers: { ...PROTO, ...users[i].auth }, body: { claim_code: s.claimCode } }));
  const ok = results.filter((r) => r.status === 200);
  expect(ok).toHaveLength(1);
  const lost = results.filter((r) => r.status === 409);
  expect(lost).toHaveLength(49);
  expect(lost.every((r) => r.body.code === 'claim.code_already_claimed')).toBe(true);
  const winner = users[results.indexOf(ok[0])];
  const rows = await hub.ds.query('SELECT id, owner_id FROM servers WHERE key_thumbprint = ?', [key.thumbprint]);
  expect(rows).toEqual([{ id: ok[0].body.server_id, owner_id: winner.id }]);
  const audits = await hub.ds.query("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'server.claimed'");
  expect(Number(audits[0].n)).toBe(1);
}, 60_000);

test('concurrent polls deliver the enrollment exactly once', async () => {
  const s = await startClaim(hub, makeServerKey());
  expect((await redeemCode(hub, users[0], s.claimCode)).status).toBe(200);
  const polls = await together(20, () => ({ method: 'GET', path: `/api/v1/server-claims/${s.claimId}`, headers: { ...PROTO } }));
  expect(polls.every((p) => p.status === 200 && p.body.status === 'claimed')).toBe(true);
  expect(polls.filter((p) => typeof p.body.enrollment_jwt === 'string')).toHaveLength(1);
});

test('one headless claim token presented by many servers at once claims exactly one', async () => {
  const t = await hub.http().post('/api/v1/me/claim-tokens').set(users[1].auth).expect(201);
  const results = await together(20, () => ({
    path: '/api/v1/server-claims/new', headers: { ...PROTO }, body: claimRequestBody(makeServerKey(), { claimToken: t.body.claim_token }),
  }));
  expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  expect(results.filter((r) => r.status === 400 && r.body.code === 'claim.token_invalid')).toHaveLength(19);
  const mine = await hub.http().get('/api/v1/me/servers').set(users[1].auth).expect(200);
  expect(mine.body.servers).toHaveLength(1);
});

test('concurrent releases of one server (owner unclaim and server deregister): exactly one succeeds', async () => {
  const owner = users[2];
  const p = await pairServer(hub, owner);
  const results = await together(10, (i) => (i % 2
    ? { method: 'DELETE', path: `/api/v1/me/servers/${p.serverId}`, headers: { ...owner.auth } }
    : { method: 'DELETE', path: `/api/v1/servers/${p.serverId}`, headers: { ...p.auth } }));
  expect(results.filter((r) => r.status === 204 || r.status === 200)).toHaveLength(1);
  const rel = await hub.ds.query("SELECT COUNT(*) AS n FROM audit_logs WHERE action IN ('server.unclaimed', 'server.deregistered') AND target_id = ?", [p.serverId]);
  expect(Number(rel[0].n)).toBe(1);
});
