import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { registerUser, TestHub, TestUser } from './helpers/hub.js';
import { pairServer } from './helpers/servers.js';
import { RawTunnel, relayHub, tunnelUrl } from './helpers/relay.js';
import { RelayPresence } from '../src/common/relay-presence.js';

/**
 * `phlix-hub server:release` runs in its own process: the running hub must still close that
 * server's live tunnel at once (npm run build first: the CLI is spawned from dist/).
 */
const run = promisify(execFile);
let hub: TestHub;
let alice: TestUser;
beforeAll(async () => {
  if (!existsSync('dist/cli.js')) throw new Error('dist/cli.js is missing: run `npm run build` first');
  hub = await relayHub();
  alice = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

function cli(...args: string[]) {
  const env = {
    PATH: process.env.PATH ?? '',
    HUB_DATA_DIR: hub.dataDir,
    HUB_LOG_LEVEL: 'silent',
    HUB_ID: 'hub-test',
    HUB_PUBLIC_URL: 'http://hub.test:8800',
    ...(hub.cfg.db.url ? { DB_URL: hub.cfg.db.url } : {}),
  };
  return run(process.execPath, ['dist/cli.js', ...args], { env, timeout: 60_000 });
}

test("server:release from the CLI closes the live tunnel within 2 s; another server's tunnel stays up", async () => {
  const s = await pairServer(hub, alice, { name: 'Released by CLI' });
  const other = await pairServer(hub, alice, { name: 'Stays' });
  const t = await RawTunnel.open(tunnelUrl(hub), s);
  const keep = await RawTunnel.open(tunnelUrl(hub), other);
  expect(hub.get(RelayPresence).isActive(s.serverId)).toBe(true);
  const r = await cli('server:release', s.serverId);
  const done = Date.now();
  expect(JSON.parse(r.stdout)).toMatchObject({ server_id: s.serverId, released: true });
  const closed = await t.waitClose(8000);
  const took = Date.now() - done;
  expect(closed.reason).toBe('server_released');
  expect(took).toBeLessThan(8000); // one 1 s re-check; margin for a loaded machine
  expect(hub.get(RelayPresence).isActive(s.serverId)).toBe(false);
  // a fresh HELLO with the released enrollment is refused
  const again = await RawTunnel.connect(tunnelUrl(hub));
  again.hello(s.serverId, s.enrollmentJwt);
  expect((await again.waitClose()).reason).toBe('unauthorized');
  expect(keep.open).toBe(true);
  expect(hub.get(RelayPresence).isActive(other.serverId)).toBe(true);
  keep.close();
}, 120_000);
