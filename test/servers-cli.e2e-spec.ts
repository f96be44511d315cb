import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { pairServer, sendHeartbeat } from './helpers/servers.js';

/** `phlix-hub server:release <server-id>` as a child process against the test hub's database (npm run build first). */
const run = promisify(execFile);
let hub: TestHub;
let alice: TestUser;
beforeAll(async () => {
  if (!existsSync('dist/cli.js')) throw new Error('dist/cli.js is missing: run `npm run build` first');
  hub = await createTestHub();
  await registerUser(hub);
  alice = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HUB_DATA_DIR: hub.dataDir,
    HUB_LOG_LEVEL: 'silent',
    HUB_ID: 'hub-test',
    HUB_PUBLIC_URL: 'http://hub.test:8800',
    ...(hub.cfg.db.url ? { DB_URL: hub.cfg.db.url } : {}),
  };
  try {
    const r = await run(process.execPath, ['dist/cli.js', ...args], { env, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

test('server:release releases the claim (audited); again → exit 1; a bad id → exit 2', async () => {
  const s = await pairServer(hub, alice, { name: 'CLI' });
  await sendHeartbeat(hub, s).expect(200);
  const r = await cli('server:release', s.serverId);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ server_id: s.serverId, previous_owner_id: alice.id, released: true });
  const row = (await hub.ds.query('SELECT owner_id, enrollment_jti FROM servers WHERE id = ?', [s.serverId]))[0];
  expect(row).toEqual({ owner_id: null, enrollment_jti: null });
  expect((await sendHeartbeat(hub, s)).status).toBe(401);
  const audit = await hub.ds.query(
    "SELECT actor_type FROM audit_logs WHERE action = 'server.released' AND target_id = ?",
    [s.serverId],
  );
  expect(audit).toEqual([{ actor_type: 'cli' }]);
  // the media server itself is untouched: the same key can pair again
  expect((await pairServer(hub, alice, { key: s.key })).serverId).toBe(s.serverId);

  const again = await cli('server:release', '11111111-1111-4111-8111-111111111111');
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/No such server/);
  const bad = await cli('server:release', 'not-a-uuid');
  expect(bad.code).toBe(2);
}, 120_000);
