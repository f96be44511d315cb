import { Agent, request as httpRequest } from 'node:http';
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
afterAll(async () => {
  await hub.close();
});

interface Req {
  method?: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** One HTTP request on a given keep-alive agent. */
function send(agent: Agent, port: number, m: Req): Promise<{ status: number; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const payload = m.body !== undefined ? JSON.stringify(m.body) : undefined;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: m.path,
        method: m.method ?? 'POST',
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...m.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Fire requests over freshly opened keep-alive connections (one agent per burst), so they reach the hub together. */
async function together(
  n: number,
  make: (i: number) => Req,
): Promise<{ status: number; body: Record<string, string> }[]> {
  const port = (hub.app.getHttpServer().address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true, maxSockets: n });
  try {
    await Promise.all(
      Array.from({ length: n }, () => send(agent, port, { method: 'GET', path: '/health/live', headers: {} })),
    );
    return await Promise.all(Array.from({ length: n }, (_x, i) => send(agent, port, make(i))));
  } finally {
    agent.destroy();
  }
}

test('50 users claim one code at once: exactly one 200, the rest 409; one server row, owned by the winner', async () => {
  const key = makeServerKey();
  const s = await startClaim(hub, key);
  const results = await together(50, (i) => ({
    path: '/api/v1/server-claims/claim',
    headers: { ...PROTO, ...users[i].auth },
    body: { claim_code: s.claimCode },
  }));
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
  const polls = await together(20, () => ({
    method: 'GET',
    path: `/api/v1/server-claims/${s.claimId}`,
    headers: { ...PROTO },
  }));
  expect(polls.every((p) => p.status === 200 && p.body.status === 'claimed')).toBe(true);
  expect(polls.filter((p) => typeof p.body.enrollment_jwt === 'string')).toHaveLength(1);
});

test('one headless claim token presented by many servers at once claims exactly one', async () => {
  const minter = await registerUser(hub); // not one of the 50 (any of them may have won the first race)
  const t = await hub.http().post('/api/v1/me/claim-tokens').set(minter.auth).expect(201);
  const results = await together(20, () => ({
    path: '/api/v1/server-claims/new',
    headers: { ...PROTO },
    body: claimRequestBody(makeServerKey(), { claimToken: t.body.claim_token }),
  }));
  const summary = results.map((r) => `${r.status} ${r.body.code ?? r.body.status}`).sort();
  expect(summary).toEqual(['200 claimed', ...Array(19).fill('400 claim.token_invalid')]);
  const mine = await hub.http().get('/api/v1/me/servers').set(minter.auth).expect(200);
  expect(mine.body.servers).toHaveLength(1);
});

test('concurrent releases of one server (owner unclaim and server deregister): exactly one succeeds', async () => {
  const owner = await registerUser(hub);
  const p = await pairServer(hub, owner);
  const results = await together(10, (i) =>
    i % 2
      ? { method: 'DELETE', path: `/api/v1/me/servers/${p.serverId}`, headers: { ...owner.auth } }
      : { method: 'DELETE', path: `/api/v1/servers/${p.serverId}`, headers: { ...p.auth } },
  );
  expect(results.filter((r) => r.status === 204 || r.status === 200)).toHaveLength(1);
  const rel = await hub.ds.query(
    "SELECT COUNT(*) AS n FROM audit_logs WHERE action IN ('server.unclaimed', 'server.deregistered') AND target_id = ?",
    [p.serverId],
  );
  expect(Number(rel[0].n)).toBe(1);
});
