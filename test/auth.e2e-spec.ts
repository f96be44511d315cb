import { createTestHub, registerUser, TestHub } from './helpers/hub.js';
import { createLocalJWKSet, jwtVerify } from 'jose';

let hub: TestHub;
beforeAll(async () => { hub = await createTestHub(); });
afterAll(async () => { await hub.close(); });

test('register → first user is admin; JWKS verifies the access token', async () => {
  const a = await registerUser(hub);
  const me = await hub.http().get('/api/v1/me').set(a.auth).expect(200);
  expect(me.body.is_admin).toBe(true);
  const b = await registerUser(hub);
  expect((await hub.http().get('/api/v1/me').set(b.auth)).body.is_admin).toBe(false);
  const jwks = await hub.http().get('/.well-known/jwks.json').expect(200);
  expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA' });
  const { payload } = await jwtVerify(a.token, createLocalJWKSet(jwks.body), { currentDate: new Date(hub.clock.now()) });
  expect(payload).toMatchObject({ iss: 'hub-test', sub: a.id });
  expect(typeof payload.jti).toBe('string');
});

test('bad input is 400 with {error, code}', async () => {
  const r = await hub.http().post('/api/v1/auth/register').send({ username: 'x', email: 'no', password: '1', extra: 1 });
  expect(r.status).toBe(400);
  expect(r.body.code).toBe('request.validation_failed');
  const m = await hub.http().post('/api/v1/auth/register').set('content-type', 'application/json').send('{bad');
  expect(m.status).toBe(400);
  expect(m.body.code).toBe('request.malformed_json');
});
