import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { hubUrl, rawRequest, relayHub, waitFor, withTimeout } from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import { RelayPresence } from '../src/common/relay-presence.js';

/** `phlix-hub agent …` as a child process (npm run build first). */
const run = promisify(execFile);
let hub: TestHub;
let owner: TestUser;
let origin: TestOrigin;
let child: ChildProcess | undefined;
const cliHome = mkdtempSync(join(tmpdir(), 'phlix-cli-'));
const env = { PATH: process.env.PATH ?? '', HUB_DATA_DIR: cliHome, HUB_LOG_LEVEL: 'silent' };

beforeAll(async () => {
  if (!existsSync('dist/cli.js')) throw new Error('dist/cli.js is missing: run `npm run build` first');
  // the child agent reads the real clock: start the hub's clock at "now"
  hub = await relayHub({}, { now: Date.now() });
  owner = await registerUser(hub);
  origin = await startTestOrigin();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await hub.close();
  await origin.close();
});

test('agent pairs with a claim token, relays, stops on SIGTERM; agent release deregisters', async () => {
  const tok = await hub.http().post('/api/v1/me/claim-tokens').set(owner.auth).expect(201);
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-cli-'));
  const c = spawn(process.execPath, ['dist/cli.js', 'agent', '--hub', hubUrl(hub), '--origin', origin.url, '--claim-token', tok.body.claim_token, '--data-dir', dataDir, '--name', 'CLI agent'], { env });
  child = c;
  let out = '';
  c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr!.on('data', () => undefined);
  const exited = new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
  await waitFor(() => out.includes('Relay tunnel up'), 30000, 'the CLI agent tunnel');
  const serverId = /Server ID: ([0-9a-f-]{36})/.exec(out)?.[1];
  expect(serverId).toBeDefined();
  const r = await rawRequest(`${hubUrl(hub)}/api/v1/servers/${serverId}/proxy/echo`, { headers: { Authorization: `Bearer ${owner.token}` } });
  expect(r.status).toBe(200);
  c.kill('SIGTERM');
  expect(await withTimeout(exited, 15000, 'agent exit')).toBe(0);
  await waitFor(() => !hub.get(RelayPresence).isActive(serverId!), 5000, 'tunnel gone');

  const rel = await run(process.execPath, ['dist/cli.js', 'agent', 'release', '--data-dir', dataDir], { env, timeout: 60000 });
  expect(JSON.parse(rel.stdout)).toEqual({ released: true, server_id: serverId });
  const state = JSON.parse(readFileSync(join(dataDir, 'phlix-agent.json'), 'utf8'));
  expect(state.server_id).toBeUndefined();
  expect(state.enrollment_jwt).toBeUndefined();
  const mine = await hub.http().get('/api/v1/me/servers').set(owner.auth).expect(200);
  expect((mine.body.servers ?? mine.body).some((x: { serverId: string }) => x.serverId === serverId)).toBe(false);
}, 60000);

test('bad invocations exit non-zero with a message', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-cli-'));
  const noHub = await run(process.execPath, ['dist/cli.js', 'agent', '--origin', origin.url, '--data-dir', dataDir], { env, timeout: 60000 }).catch((e) => e);
  expect(noHub.code).toBe(1);
  expect(noHub.stderr).toMatch(/--hub is required/);
  const notEnrolled = await run(process.execPath, ['dist/cli.js', 'agent', 'release', '--data-dir', dataDir], { env, timeout: 60000 }).catch((e) => e);
  expect(notEnrolled.code).toBe(1);
  expect(notEnrolled.stderr).toMatch(/not enrolled/);
}, 60000);
