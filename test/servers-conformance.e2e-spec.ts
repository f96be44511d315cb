import { readFileSync } from 'node:fs';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createTestHub, registerUser, TestHub, TestUser } from './helpers/hub.js';
import { makeServerKey, redeemCode } from './helpers/servers.js';

/**
 * Conformance with a real Phlix server (docs/protocol/pairing.md, Payloads): requests are built byte for byte the
 * way the PHP server does (shared DTO toPayload() key order and types, PHP json_encode default
 * flags: "\/" and \uXXXX escapes, the Accept-Phlix-Protocol header), and our answers must parse
 * with the shared DTO rules (PayloadAssert), mirrored below.
 */

// --- a TypeScript mirror of the shared DTOs' fromPayload() checks -----------------------------------
class PayloadError extends Error {}
type P = Record<string, unknown>;
const has = (p: P, k: string) => Object.prototype.hasOwnProperty.call(p, k) && p[k] !== null && p[k] !== undefined;
function reqString(ctx: string, p: P, k: string): string {
  if (!has(p, k)) throw new PayloadError(`${ctx} "${k}" is required.`);
  if (typeof p[k] !== 'string') throw new PayloadError(`${ctx} "${k}" must be a string.`);
  return p[k] as string;
}
function reqInt(ctx: string, p: P, k: string): number {
  if (!has(p, k)) throw new PayloadError(`${ctx} "${k}" is required.`);
  if (typeof p[k] !== 'number' || !Number.isInteger(p[k])) throw new PayloadError(`${ctx} "${k}" must be an integer.`);
  return p[k] as number;
}
function optInt(ctx: string, p: P, k: string): number | null {
  if (!has(p, k)) return null;
  if (typeof p[k] !== 'number' || !Number.isInteger(p[k])) throw new PayloadError(`${ctx} "${k}" must be an integer.`);
  return p[k] as number;
}
function optString(ctx: string, p: P, k: string): string | null {
  if (!has(p, k)) return null;
  if (typeof p[k] !== 'string') throw new PayloadError(`${ctx} "${k}" must be a string.`);
  return p[k] as string;
}
function strList(ctx: string, p: P, k: string): string[] {
  if (!has(p, k)) return [];
  const v = p[k];
  const items = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v as object) : null;
  if (!items) throw new PayloadError(`${ctx} "${k}" must be a list of strings.`);
  if (items.some((x) => typeof x !== 'string')) throw new PayloadError(`${ctx} "${k}" must contain only strings.`);
  return items as string[];
}
const ClaimResponse = {
  fromPayload(p: P) {
    const c = 'ClaimResponse';
    return {
      claimCode: reqString(c, p, 'claimCode'),
      expiresIn: reqInt(c, p, 'expiresIn'),
      claimId: reqString(c, p, 'claimId'),
      hubBaseUrl: reqString(c, p, 'hubBaseUrl'),
    };
  },
};
const ServerInfoDto = {
  fromPayload(p: P) {
    const c = 'ServerInfoDto';
    if (typeof p.relayActive !== 'boolean') throw new PayloadError(`${c} "relayActive" must be a boolean.`);
    return {
      serverId: reqString(c, p, 'serverId'),
      userId: reqString(c, p, 'userId'),
      serverName: reqString(c, p, 'serverName'),
      version: reqString(c, p, 'version'),
      lastSeenAt: optInt(c, p, 'lastSeenAt'),
      status: reqString(c, p, 'status'),
      hostnameCandidates: strList(c, p, 'hostnameCandidates'),
      relayActive: p.relayActive,
      libraryCount: optInt(c, p, 'libraryCount'),
      subdomain: optString(c, p, 'subdomain'),
    };
  },
};
const SERVER_INFO_KEYS = [
  'serverId',
  'userId',
  'serverName',
  'version',
  'lastSeenAt',
  'status',
  'hostnameCandidates',
  'relayActive',
  'libraryCount',
  'subdomain',
];

/** PHP json_encode() with default flags. */
function phpJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const PHP_HEADERS = {
  'Content-Type': 'application/json',
  Accept: 'application/json',
  'Accept-Phlix-Protocol': 'v1',
  'User-Agent': 'Phlix-Server/0.45.0',
};

interface Vector {
  name: string;
  kind: string;
  input: P;
  json_php_default_flags: string;
}
const vectors = (
  JSON.parse(readFileSync(new URL('./fixtures/relay-vectors.json', import.meta.url), 'utf8')).vectors as Vector[]
).filter((v) => v.kind === 'dto_json');
const vector = (name: string) => vectors.find((v) => v.name === name)!;

let hub: TestHub;
let alice: TestUser;
beforeAll(async () => {
  hub = await createTestHub();
  await registerUser(hub);
  alice = await registerUser(hub);
});
afterAll(async () => {
  await hub.close();
});

test('the mirror validator agrees with the PHP results in the vectors (and can fail)', () => {
  const info = vector('dto.server_info');
  expect(ServerInfoDto.fromPayload(info.input)).toEqual(info.input);
  expect(() => ServerInfoDto.fromPayload({ ...info.input, relayActive: 1 })).toThrow(
    'ServerInfoDto "relayActive" must be a boolean.',
  );
  expect(() => ServerInfoDto.fromPayload({ ...info.input, lastSeenAt: '1' })).toThrow('must be an integer.');
  expect(() => ClaimResponse.fromPayload({ claimCode: 'X', expiresIn: '600', claimId: 'i', hubBaseUrl: 'h' })).toThrow(
    'ClaimResponse "expiresIn" must be an integer.',
  );
  expect(phpJson(vector('dto.claim_request').input)).toBe(vector('dto.claim_request').json_php_default_flags);
  expect(phpJson(vector('dto.heartbeat_lenient_drops_bad_library').input)).toBe(
    vector('dto.heartbeat_lenient_drops_bad_library').json_php_default_flags,
  );
});

test('the PHP ClaimRequest bytes from the vectors are accepted; the answer parses as a ClaimResponse', async () => {
  const v = vector('dto.claim_request');
  const r = await hub.http().post('/api/v1/server-claims/new').set(PHP_HEADERS).send(v.json_php_default_flags);
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const dto = ClaimResponse.fromPayload(r.body);
  expect(dto.claimCode).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  expect(dto.expiresIn).toBe(600);
  expect(dto.hubBaseUrl).toBe('http://hub.test:8800');
  // PHP decodes with json_decode(…, true): the answer is plain JSON without surprises
  expect(JSON.parse(r.text)).toEqual(r.body);
  // a ClaimRequest with an empty key set parses as a DTO, but the hub cannot pair a server without a key
  const empty = await hub
    .http()
    .post('/api/v1/server-claims/new')
    .set(PHP_HEADERS)
    .send(vector('dto.claim_request_empty_jwks_and_no_hostnames').json_php_default_flags);
  expect([empty.status, empty.body.code]).toEqual([400, 'server.key_invalid']);
});

test('a full PHP-style session: claim, poll, heartbeat, then ServerInfoDto and enrollment JWT check out', async () => {
  const key = makeServerKey();
  const claimRequest = {
    serverName: 'Alice’s NAS 🎬',
    version: '0.45.0',
    publicKeysJwk: { keys: [key.publicJwk] },
    hostnameCandidates: ['https://192.168.1.100:32400', 'nas.local'],
    protocolVersion: 'v1',
  };
  const body = phpJson(claimRequest);
  expect(body).toContain('\\u2019');
  expect(body).toContain('https:\\/\\/');
  const started = await hub.http().post('/api/v1/server-claims/new').set(PHP_HEADERS).send(body).expect(200);
  const claim = ClaimResponse.fromPayload(started.body);
  expect((await redeemCode(hub, alice, claim.claimCode)).status).toBe(200);
  const poll = await hub
    .http()
    .get(`/api/v1/server-claims/${claim.claimId}`)
    .set({ Accept: 'application/json', 'Accept-Phlix-Protocol': 'v1' })
    .expect(200);
  expect(poll.body.status).toBe('claimed');
  for (const k of ['enrollment_jwt', 'hub_jwks_url', 'server_id', 'hub_base_url']) {
    expect(typeof poll.body[k]).toBe('string');
  }
  // what the server stores in config/hub-enrollment.json
  const enrollment = {
    enrollment_jwt: poll.body.enrollment_jwt,
    hub_jwks_url: poll.body.hub_jwks_url,
    server_id: poll.body.server_id,
    hub_base_url: poll.body.hub_base_url,
  };
  const jwks = (await hub.http().get(new URL(enrollment.hub_jwks_url).pathname).expect(200)).body;
  const header = decodeProtectedHeader(enrollment.enrollment_jwt);
  expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
  expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
  const { payload } = await jwtVerify(enrollment.enrollment_jwt, createLocalJWKSet(jwks), {
    audience: 'server',
    currentDate: new Date(hub.clock.now()),
  });
  for (const k of ['iat', 'exp']) expect(Number.isInteger(payload[k])).toBe(true);
  expect(payload).toMatchObject({
    aud: 'server',
    sub: enrollment.server_id,
    server_id: enrollment.server_id,
    hub_base_url: enrollment.hub_base_url,
    kid: header.kid,
  });

  // HeartbeatDto::toPayload() writes all 8 keys, in this order
  const hb = {
    serverId: enrollment.server_id,
    version: '0.45.0',
    timestamp: Math.floor(hub.clock.now() / 1000),
    uptimeSeconds: 86400,
    activeSessions: 2,
    activeTranscodes: 1,
    hostnameCandidates: ['https://192.168.1.100:32400'],
    libraries: [{ library_id: 'd3b07384-d113-4ec6-a1b2-0a9f3b2c1e55', library_name: 'Films — 4K' }],
  };
  await hub
    .http()
    .post(`/api/v1/servers/${enrollment.server_id}/heartbeat`)
    .set(PHP_HEADERS)
    .set('Authorization', `Bearer ${enrollment.enrollment_jwt}`)
    .send(phpJson(hb))
    .expect(200);

  const mine = await hub.http().get('/api/v1/me/servers').set(alice.auth).expect(200);
  const item = mine.body.servers.find((x: { serverId: string }) => x.serverId === enrollment.server_id);
  expect(Object.keys(item)).toEqual(SERVER_INFO_KEYS);
  expect(ServerInfoDto.fromPayload(item)).toEqual({
    serverId: enrollment.server_id,
    userId: alice.id,
    serverName: 'Alice’s NAS 🎬',
    version: '0.45.0',
    lastSeenAt: Math.floor(hub.clock.now() / 1000),
    status: 'online',
    hostnameCandidates: ['https://192.168.1.100:32400'],
    relayActive: false,
    libraryCount: 1,
    subdomain: null,
  });
  const libs = await hub
    .http()
    .get(`/api/v1/me/libraries?server_id=${enrollment.server_id}`)
    .set(alice.auth)
    .expect(200);
  expect(libs.body.libraries[0]).toMatchObject({
    id: 'd3b07384-d113-4ec6-a1b2-0a9f3b2c1e55',
    name: 'Films — 4K',
    server_id: enrollment.server_id,
  });
  // the detail page and the server's own info embed the same DTO
  const detail = await hub.http().get(`/api/v1/me/servers/${enrollment.server_id}`).set(alice.auth).expect(200);
  expect(ServerInfoDto.fromPayload(detail.body.info)).toEqual(ServerInfoDto.fromPayload(item));
  const self = await hub
    .http()
    .get(`/api/v1/servers/${enrollment.server_id}/info`)
    .set(PHP_HEADERS)
    .set('Authorization', `Bearer ${enrollment.enrollment_jwt}`)
    .expect(200);
  expect(ServerInfoDto.fromPayload(self.body).serverId).toBe(enrollment.server_id);
});

test('the pairing-doc (snake_case) request shape with a single JWK also pairs', async () => {
  const key = makeServerKey();
  const body = phpJson({
    server_name: 'Snake',
    public_keys: { ...key.publicJwk, use: 'sig', alg: 'EdDSA' },
    version: '0.30.0',
    hostname_candidates: ['nas.alice.com'],
    protocol_version: 'v1',
  });
  const r = await hub.http().post('/api/v1/server-claims/new').set(PHP_HEADERS).send(body).expect(200);
  const c = ClaimResponse.fromPayload(r.body);
  expect(r.body).toMatchObject({
    claim_code: c.claimCode,
    expires_in: c.expiresIn,
    claim_id: c.claimId,
    hub_base_url: c.hubBaseUrl,
  });
});
