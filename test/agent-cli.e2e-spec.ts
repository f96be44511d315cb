import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { hubUrl, rawRequest, relayHub, waitFor, withTimeout } from './helpers/relay.js';
import { startTestOrigin, type TestOrigin } from './helpers/relay-origin.js';
import { RelayPresence } from '../src/common/relay-presence.js';
import { redeemCode } from './helpers/servers.js';

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
const others: TestHub[] = [];
afterAll(async () => {
  child?.kill('SIGKILL');
  for (const h of others) await h.close();
  await hub.close();
  await origin.close();
});

test('agent pairs with a claim token, relays, stops on SIGTERM; agent release deregisters', async () => {
  const tok = await hub.http().post('/api/v1/me/claim-tokens').set(owner.auth).expect(201);
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-cli-'));
  const c = spawn(
    process.execPath,
    [
      'dist/cli.js',
      'agent',
      '--hub',
      hubUrl(hub),
      '--origin',
      origin.url,
      '--claim-token',
      tok.body.claim_token,
      '--data-dir',
      dataDir,
      '--name',
      'CLI agent',
    ],
    { env },
  );
  child = c;
  let out = '';
  c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr!.on('data', () => undefined);
  const exited = new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
  await waitFor(() => out.includes('Relay tunnel up'), 30000, 'the CLI agent tunnel');
  const serverId = /Server ID: ([0-9a-f-]{36})/.exec(out)?.[1];
  expect(serverId).toBeDefined();
  const r = await rawRequest(`${hubUrl(hub)}/api/v1/servers/${serverId}/proxy/echo`, {
    headers: { Authorization: `Bearer ${owner.token}` },
  });
  expect(r.status).toBe(200);
  c.kill('SIGTERM');
  expect(await withTimeout(exited, 15000, 'agent exit')).toBe(0);
  await waitFor(() => !hub.get(RelayPresence).isActive(serverId!), 5000, 'tunnel gone');

  const rel = await run(process.execPath, ['dist/cli.js', 'agent', 'release', '--data-dir', dataDir], {
    env,
    timeout: 60000,
  });
  expect(JSON.parse(rel.stdout)).toEqual({ released: true, server_id: serverId });
  const state = JSON.parse(readFileSync(join(dataDir, 'phlix-agent.json'), 'utf8'));
  expect(state.server_id).toBeUndefined();
  expect(state.enrollment_jwt).toBeUndefined();
  const mine = await hub.http().get('/api/v1/me/servers').set(owner.auth).expect(200);
  expect((mine.body.servers ?? mine.body).some((x: { serverId: string }) => x.serverId === serverId)).toBe(false);
}, 60000);

test('bad invocations exit non-zero with a message', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-cli-'));
  const noHub = await run(process.execPath, ['dist/cli.js', 'agent', '--origin', origin.url, '--data-dir', dataDir], {
    env,
    timeout: 60000,
  }).catch((e) => e);
  expect(noHub.code).toBe(1);
  expect(noHub.stderr).toMatch(/--hub is required/);
  const notEnrolled = await run(process.execPath, ['dist/cli.js', 'agent', 'release', '--data-dir', dataDir], {
    env,
    timeout: 60000,
  }).catch((e) => e);
  expect(notEnrolled.code).toBe(1);
  expect(notEnrolled.stderr).toMatch(/not enrolled/);
}, 60000);

/** `phlix-hub agent …` in the background: its output so far and its exit. */
function agentProcess(args: string[], extraEnv: Record<string, string> = {}, cwd?: string) {
  const c = spawn(process.execPath, [join(process.cwd(), 'dist/cli.js'), 'agent', ...args], {
    env: { ...env, ...extraEnv },
    cwd,
  });
  child = c;
  const p = {
    out: '',
    err: '',
    exited: new Promise<number | null>((r) => c.on('exit', (code) => r(code))),
    kill: () => c.kill('SIGTERM'),
  };
  c.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  c.stderr!.on('data', (d: Buffer) => (p.err += d.toString()));
  return p;
}
const stateOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'phlix-agent.json'), 'utf8'));
const serversOf = async (h: TestHub, u: TestUser) =>
  (await h.http().get('/api/v1/me/servers').set(u.auth).expect(200)).body.servers.map(
    (x: { serverId: string }) => x.serverId,
  );
const claimToken = async (h: TestHub, u: TestUser) =>
  (await h.http().post('/api/v1/me/claim-tokens').set(u.auth).expect(201)).body.claim_token as string;

test('agent --help (and -h, agent help) prints the usage and the screens to use; bad usage exits 2 with it', async () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const r = await run(process.execPath, ['dist/cli.js', 'agent', ...args], { env, timeout: 60000 });
    expect(r.stdout).toMatch(/^Usage:\n {2}phlix-hub agent --hub <url> --origin <url>/);
    expect(r.stdout).toContain('My servers -> Add a server');
    expect(r.stdout).toContain('agent release');
    expect(r.stdout).toMatch(/--data-dir <dir>.*PHLIX_AGENT_DATA_DIR/s);
  }
  for (const args of [['frobnicate'], ['--frobnicate']]) {
    const bad = await run(process.execPath, ['dist/cli.js', 'agent', ...args], { env, timeout: 60000 }).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/frobnicate/);
    expect(bad.stderr).toContain('Usage:');
  }
}, 60000);

test('the default data directory is per user ($XDG_CONFIG_HOME/phlix-agent), never the working directory; key file 0600; agent status', async () => {
  const xdg = mkdtempSync(join(tmpdir(), 'phlix-xdg-'));
  const cwd = mkdtempSync(join(tmpdir(), 'phlix-cwd-'));
  const home = { XDG_CONFIG_HOME: xdg, HOME: mkdtempSync(join(tmpdir(), 'phlix-home-')) };
  const a = agentProcess(
    ['--hub', hubUrl(hub), '--origin', origin.url, '--claim-token', await claimToken(hub, owner)],
    home,
    cwd,
  );
  await waitFor(() => a.out.includes('Relay tunnel up'), 30000, 'the agent tunnel');
  a.kill();
  expect(await withTimeout(a.exited, 15000, 'agent exit')).toBe(0);
  const dir = join(xdg, 'phlix-agent');
  expect(a.out).toContain(`kept in ${dir}`);
  expect(statSync(join(dir, 'phlix-agent.json')).mode & 0o777).toBe(0o600);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(existsSync(join(cwd, 'phlix-agent'))).toBe(false);
  const st = await run(process.execPath, [join(process.cwd(), 'dist/cli.js'), 'agent', 'status'], {
    env: { ...env, ...home },
    cwd,
    timeout: 60000,
  });
  const status = JSON.parse(st.stdout);
  expect(status).toMatchObject({ data_dir: dir, paired: true, hub: hubUrl(hub) });
  expect(await serversOf(hub, owner)).toContain(status.server_id);
  expect(st.stdout).not.toMatch(/jwt|private/i);
  // PHLIX_AGENT_DATA_DIR overrides the default, --data-dir overrides both
  const viaEnv = JSON.parse(
    (
      await run(process.execPath, ['dist/cli.js', 'agent', 'status'], {
        env: { ...env, ...home, PHLIX_AGENT_DATA_DIR: join(cwd, 'e') },
        timeout: 60000,
      })
    ).stdout,
  );
  expect(viaEnv).toMatchObject({ data_dir: join(cwd, 'e'), paired: false });
  const viaFlag = JSON.parse(
    (
      await run(process.execPath, ['dist/cli.js', 'agent', 'status', '--data-dir', join(cwd, 'f')], {
        env: { ...env, ...home, PHLIX_AGENT_DATA_DIR: join(cwd, 'e') },
        timeout: 60000,
      })
    ).stdout,
  );
  expect(viaFlag.data_dir).toBe(join(cwd, 'f'));
}, 90000);

test('released on the hub while running: exit 3 saying so; the next run pairs again with a new claim code', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-cli-'));
  const a = agentProcess([
    '--hub',
    hubUrl(hub),
    '--origin',
    origin.url,
    '--claim-token',
    await claimToken(hub, owner),
    '--data-dir',
    dataDir,
  ]);
  await waitFor(() => a.out.includes('Relay tunnel up'), 30000, 'the agent tunnel');
  const first = stateOf(dataDir).server_id as string;
  await hub.http().delete(`/api/v1/me/servers/${first}`).set(owner.auth).expect(204);
  expect(await withTimeout(a.exited, 15000, 'agent exit')).toBe(3);
  expect(a.out).toMatch(
    /no longer accepts this server .*Run the agent again to pair: it shows a new claim code to enter on .* under My servers → Add a server \(.*\/servers\/add\)/,
  );
  expect(stateOf(dataDir).server_id).toBeUndefined();

  const b = agentProcess(['--hub', hubUrl(hub), '--origin', origin.url, '--data-dir', dataDir]);
  const code = (await waitFor(() => /Claim code: (\S+) /.exec(b.out)?.[1], 30000, 'a claim code'))!;
  expect(b.out).toContain(`Sign in on ${hubUrl(hub)} under My servers → Add a server`);
  expect((await redeemCode(hub, owner, code)).status).toBe(200);
  await waitFor(() => b.out.includes('Relay tunnel up'), 30000, 'the re-paired tunnel');
  expect(await serversOf(hub, owner)).toContain(stateOf(dataDir).server_id);
  b.kill();
  expect(await withTimeout(b.exited, 15000, 'agent exit')).toBe(0);
}, 90000);

test('moving to another hub: --hub names it, the agent leaves the old hub and pairs with the new one; a hub URL that is no hub changes nothing', async () => {
  const other = await relayHub({ HUB_ID: 'hub-b' }, { now: Date.now() });
  others.push(other);
  const carol = await registerUser(other);
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-agent-cli-'));
  const a = agentProcess([
    '--hub',
    hubUrl(hub),
    '--origin',
    origin.url,
    '--claim-token',
    await claimToken(hub, owner),
    '--data-dir',
    dataDir,
  ]);
  await waitFor(() => a.out.includes('Relay tunnel up'), 30000, 'the agent tunnel');
  const onA = stateOf(dataDir).server_id as string;
  a.kill();
  expect(await withTimeout(a.exited, 15000, 'agent exit')).toBe(0);

  const typo = await run(
    process.execPath,
    ['dist/cli.js', 'agent', '--hub', 'http://127.0.0.1:9', '--origin', origin.url, '--data-dir', dataDir],
    { env, timeout: 60000 },
  ).catch((e) => e);
  expect(typo.code).toBe(1);
  expect(typo.stderr).toMatch(/does not answer as a Phlix hub .*stays paired with/);
  expect(stateOf(dataDir).server_id).toBe(onA);

  const b = agentProcess([
    '--hub',
    hubUrl(other),
    '--origin',
    origin.url,
    '--claim-token',
    await claimToken(other, carol),
    '--data-dir',
    dataDir,
  ]);
  await waitFor(() => b.out.includes('Relay tunnel up'), 30000, 'the tunnel to the new hub');
  expect(b.out).toContain(`Moving to ${hubUrl(other)}: removed server ${onA} from ${hubUrl(hub)}`);
  expect(await serversOf(hub, owner)).not.toContain(onA);
  expect(await serversOf(other, carol)).toEqual([stateOf(dataDir).server_id]);
  expect(stateOf(dataDir).hub_base_url).toBe(hubUrl(other));
  b.kill();
  expect(await withTimeout(b.exited, 15000, 'agent exit')).toBe(0);
}, 120000);
