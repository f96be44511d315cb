import { readFileSync } from 'node:fs';
import { createTestHub, registerAdmin, registerUser, TestHub, TestUser } from './helpers/hub.js';

const ENV = {
  HUB_ID: 'hub-policy',
  HUB_NAME: 'Policy Hub',
  HUB_PUBLIC_URL: 'https://hub.example.com',
  HUB_TERMS_OF_SERVICE: 'https://hub.example.com/terms',
  HUB_PRIVACY_POLICY: 'We keep usernames and emails only.',
  HUB_CONTENT_POLICY: '',
};
const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

let hub: TestHub;
let admin: TestUser;
let user: TestUser;

beforeAll(async () => {
  hub = await createTestHub({ env: ENV });
  admin = await registerAdmin(hub);
  user = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

const expected = {
  hub_id: 'hub-policy',
  name: 'Policy Hub',
  public_url: 'https://hub.example.com',
  version,
  terms_of_service: 'https://hub.example.com/terms',
  privacy_policy: 'We keep usernames and emails only.',
  content_policy: null,
  federation: {
    enabled: false,
    manual_account_linking: true,
    jwks_uri: 'https://hub.example.com/.well-known/jwks.json',
    link_endpoint: 'https://hub.example.com/api/v1/auth/link',
  },
};

test('GET /api/v1/hub and /.well-known/phlix-hub.json are public and publish the env values', async () => {
  for (const path of ['/api/v1/hub', '/.well-known/phlix-hub.json']) {
    const r = await hub.http().get(path).expect(200);
    expect(r.body).toEqual(expected);
    expect(r.headers['cache-control']).toMatch(/public/);
    // a bearer token changes nothing
    expect((await hub.http().get(path).set(user.auth).expect(200)).body).toEqual(expected);
  }
});

test('PUT /api/v1/admin/hub-info overrides durably; null reverts to the env value', async () => {
  const r = await hub
    .http()
    .put('/api/v1/admin/hub-info')
    .set(admin.auth)
    .send({
      name: 'Renamed Hub',
      content_policy: 'No piracy. DMCA: abuse@hub.example.com',
      public_url: 'https://new.example.com/',
    })
    .expect(200);
  expect(r.body).toMatchObject({
    name: 'Renamed Hub',
    public_url: 'https://new.example.com',
    content_policy: 'No piracy. DMCA: abuse@hub.example.com',
    terms_of_service: expected.terms_of_service,
  });
  expect(r.body.sources).toEqual({
    name: 'admin',
    public_url: 'admin',
    terms_of_service: 'env',
    privacy_policy: 'env',
    content_policy: 'admin',
  });
  const pub = await hub.http().get('/.well-known/phlix-hub.json').expect(200);
  expect(pub.body).toMatchObject({
    hub_id: 'hub-policy',
    name: 'Renamed Hub',
    federation: { enabled: false, jwks_uri: 'https://new.example.com/.well-known/jwks.json' },
  });
  expect(pub.body.sources).toBeUndefined();

  // another app instance on the same database sees the overrides (stored, not in memory)
  const second = await createTestHub({
    env: ENV,
    dataDir: hub.dataDir,
    ...(hub.cfg.db.url ? { dbUrl: hub.cfg.db.url } : {}),
  });
  try {
    expect((await second.http().get('/api/v1/hub').expect(200)).body.name).toBe('Renamed Hub');
  } finally {
    await second.close();
  }

  const back = await hub
    .http()
    .put('/api/v1/admin/hub-info')
    .set(admin.auth)
    .send({ name: null, public_url: null })
    .expect(200);
  expect(back.body).toMatchObject({
    name: 'Policy Hub',
    public_url: 'https://hub.example.com',
    content_policy: 'No piracy. DMCA: abuse@hub.example.com',
  });
  expect((await hub.http().get('/api/v1/admin/hub-info').set(admin.auth).expect(200)).body.sources.content_policy).toBe(
    'admin',
  );
  await hub.http().put('/api/v1/admin/hub-info').set(admin.auth).send({ content_policy: null }).expect(200);
  expect((await hub.http().get('/api/v1/hub')).body).toEqual(expected);
});

test('bad input is 400 and changes nothing', async () => {
  for (const body of [
    { name: '' },
    { name: 5 },
    { name: 'x'.repeat(201) },
    { public_url: 'ftp://x.example' },
    { public_url: 'not a url' },
    { terms_of_service: 'x'.repeat(20001) },
    { privacy_policy: ['a'] },
    { hub_id: 'other' },
    { name: 'ok', federation: { enabled: true } },
  ]) {
    const r = await hub.http().put('/api/v1/admin/hub-info').set(admin.auth).send(body);
    expect([r.status, r.body.code]).toEqual([400, 'request.validation_failed']);
  }
  const ws = await hub.http().put('/api/v1/admin/hub-info').set(admin.auth).send({ name: '   ' });
  expect(ws.status).toBe(400);
  expect((await hub.http().get('/api/v1/hub')).body).toEqual(expected);
});

test('no token 401; a non-admin 403', async () => {
  expect((await hub.http().put('/api/v1/admin/hub-info').send({ name: 'x' })).status).toBe(401);
  expect((await hub.http().get('/api/v1/admin/hub-info')).status).toBe(401);
  const r = await hub.http().put('/api/v1/admin/hub-info').set(user.auth).send({ name: 'x' });
  expect([r.status, r.body.code]).toEqual([403, 'auth.not_admin']);
  expect((await hub.http().get('/api/v1/admin/hub-info').set(user.auth)).status).toBe(403);
  expect((await hub.http().get('/api/v1/hub')).body.name).toBe('Policy Hub');
});
