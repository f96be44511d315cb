import { createHash, generateKeyPairSync, KeyObject } from 'node:crypto';
import type { TestHub, TestUser } from './hub.js';
import { parseClaimRequest } from '../../src/servers/wire/claim-request.js';
import { signClaimProof } from '../../src/servers/wire/claim-proof.js';

/**
 * Pair a media server with a test hub through the real API, the way a Phlix server does:
 * Ed25519 key pair → POST /api/v1/server-claims/new (Accept-Phlix-Protocol: v1) → a user redeems
 * the code → the server polls and receives its enrollment JWT. Other suites use `pairServer`.
 */
export const PROTO = { 'Accept-Phlix-Protocol': 'v1' } as const;

export interface ServerKey {
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string };
  privateKey: KeyObject;
  /** RFC 7638 thumbprint (hex), as the hub computes it */
  thumbprint: string;
}

export function makeServerKey(): ServerKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  const raw = Buffer.from(jwk.x, 'base64url');
  const kid = createHash('sha256').update(raw).digest().subarray(0, 8).toString('base64url');
  const thumbprint = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${jwk.x}"}`).digest('hex');
  return { publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid }, privateKey, thumbprint };
}

export interface ClaimRequestOptions {
  name?: string;
  version?: string;
  hostnameCandidates?: string[];
  claimToken?: string;
  /** sign the request with the server's private key over a fresh hub challenge (a proven claim, as our agent does) */
  prove?: boolean;
}

/** The shared ClaimRequest (camelCase), keys in the PHP toPayload() order; the key as a JWKS. */
export function claimRequestBody(key: ServerKey, o: ClaimRequestOptions = {}): Record<string, unknown> {
  return {
    serverName: o.name ?? 'Test NAS',
    version: o.version ?? '0.45.0',
    publicKeysJwk: { keys: [key.publicJwk] },
    hostnameCandidates: o.hostnameCandidates ?? ['192.168.1.10', 'nas.local'],
    protocolVersion: 'v1',
    ...(o.claimToken ? { claimToken: o.claimToken } : {}),
  };
}

export interface ClaimStarted {
  claimCode: string;
  claimId: string;
  expiresIn: number;
  hubBaseUrl: string;
  status: string;
}

/** claimRequestBody plus a key proof over a fresh challenge from the hub. */
export async function provenClaimBody(
  hub: TestHub,
  key: ServerKey,
  o: ClaimRequestOptions = {},
): Promise<Record<string, unknown>> {
  const body = claimRequestBody(key, o);
  const ch = await hub.http().post('/api/v1/server-claims/challenge').set(PROTO).expect(200);
  return { ...body, keyProof: signClaimProof(key.privateKey, ch.body.challenge, parseClaimRequest(body)) };
}

export async function startClaim(hub: TestHub, key: ServerKey, o: ClaimRequestOptions = {}): Promise<ClaimStarted> {
  const body = o.prove ? await provenClaimBody(hub, key, o) : claimRequestBody(key, o);
  const r = await hub.http().post('/api/v1/server-claims/new').set(PROTO).send(body);
  if (r.status !== 200) throw new Error(`claims/new failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as ClaimStarted;
}

export function redeemCode(hub: TestHub, user: TestUser, code: string) {
  return hub.http().post('/api/v1/server-claims/claim').set(PROTO).set(user.auth).send({ claim_code: code });
}

export function pollClaim(hub: TestHub, claimId: string) {
  return hub.http().get(`/api/v1/server-claims/${claimId}`).set(PROTO);
}

export interface PairedServer {
  serverId: string;
  enrollmentJwt: string;
  claimId: string;
  claimCode: string;
  key: ServerKey;
  hubJwksUrl: string;
  /** headers for server-authenticated calls: Authorization (enrollment JWT) + Accept-Phlix-Protocol */
  auth: { Authorization: string; 'Accept-Phlix-Protocol': 'v1' };
}

/** Full pairing for `user`: claims/new → claim by the user → poll → enrollment JWT. */
export async function pairServer(
  hub: TestHub,
  user: TestUser,
  o: ClaimRequestOptions & { key?: ServerKey } = {},
): Promise<PairedServer> {
  const key = o.key ?? makeServerKey();
  const started = await startClaim(hub, key, o);
  const claimed = await redeemCode(hub, user, started.claimCode);
  if (claimed.status !== 200) throw new Error(`claim failed: ${claimed.status} ${JSON.stringify(claimed.body)}`);
  const polled = await pollClaim(hub, started.claimId);
  if (polled.status !== 200 || polled.body.status !== 'claimed' || !polled.body.enrollment_jwt) {
    throw new Error(`poll failed: ${polled.status} ${JSON.stringify(polled.body)}`);
  }
  return {
    serverId: polled.body.server_id,
    enrollmentJwt: polled.body.enrollment_jwt,
    claimId: started.claimId,
    claimCode: started.claimCode,
    key,
    hubJwksUrl: polled.body.hub_jwks_url,
    auth: { Authorization: `Bearer ${polled.body.enrollment_jwt}`, ...PROTO },
  };
}

/** A HeartbeatDto (camelCase, shared key order); override or add fields freely. */
export function heartbeatBody(serverId: string, o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    serverId,
    version: '0.45.0',
    timestamp: 1767225600,
    uptimeSeconds: 3600,
    activeSessions: 1,
    activeTranscodes: 0,
    hostnameCandidates: ['192.168.1.10'],
    libraries: [{ library_id: 'lib-movies', library_name: 'Movies' }],
    ...o,
  };
}

export function sendHeartbeat(hub: TestHub, s: PairedServer, o: Record<string, unknown> = {}) {
  return hub.http().post(`/api/v1/servers/${s.serverId}/heartbeat`).set(s.auth).send(heartbeatBody(s.serverId, o));
}
