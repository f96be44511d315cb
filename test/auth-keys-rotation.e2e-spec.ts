import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestHub, registerUser, TestHub } from './helpers/hub.js';

/** `keys:rotate` run by the built CLI (a separate process) against a running test hub. Run `npm run build` first. */
const CLI = join(process.cwd(), 'dist', 'cli.js');
let hub: TestHub;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  hub = await createTestHub({ env: { HUB_KEY_ROTATION_GRACE: '0' }, now: Date.now() });
});
afterAll(async () => {
  await hub?.close();
});

function cli(...args: string[]) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HUB_DATA_DIR: hub.dataDir,
    HUB_ID: hub.cfg.hub.id,
    HUB_LOG_LEVEL: 'silent',
    HUB_KEY_ROTATION_GRACE: '0',
  };
  if (hub.cfg.db.url) env.DB_URL = hub.cfg.db.url;
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('keys:rotate in another process: a token of the retired key (grace 0) is refused by the running hub within seconds', async () => {
  const u = await registerUser(hub);
  await hub.http().get('/api/v1/me').set(u.auth).expect(200); // the running hub holds (and has used) the old key
  const r = cli('keys:rotate');
  expect(r.code).toBe(0);
  const { kid, access_kid: accessKid } = JSON.parse(r.stdout) as { kid: string; access_kid: string };
  hub.clock.set(Date.now() + 1000); // the CLI retired the old key on the real clock
  const t0 = Date.now();
  let status = 200;
  while (Date.now() - t0 < 15_000) {
    status = (await hub.http().get('/api/v1/me').set(u.auth)).status;
    if (status === 401) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const took = Date.now() - t0;
  expect(status).toBe(401);
  expect(took).toBeLessThan(10_000); // a 1 s reload; margin for a loaded machine
  // the new keys sign and verify; the JWKS publishes only them (Ed25519, then the P-256 access-token key)
  const login = await hub
    .http()
    .post('/api/v1/auth/login')
    .send({ username: u.username, password: u.password })
    .expect(200);
  await hub
    .http()
    .get('/api/v1/me')
    .set({ Authorization: `Bearer ${login.body.access_token}` })
    .expect(200);
  const jwks = await hub.http().get('/.well-known/jwks.json').expect(200);
  expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([kid, accessKid]);
  const fresh = JSON.parse(Buffer.from(login.body.access_token.split('.')[0], 'base64url').toString('utf8'));
  expect(fresh).toMatchObject({ alg: 'ES256', kid: accessKid });
});
