import { createHash, createPublicKey } from 'node:crypto';
import { HubError } from '../../common/hub-error.js';
import { asPayload, invalid, pick, str, strList } from './payload.js';
import { parseKeyProof, type KeyProof } from './claim-proof.js';
import type { Ed25519Jwk } from '../../common/jwk.js';

/** A server's key as sent in a claim: an Ed25519 JWK whose kid, use and alg may be left out. */
export type ServerJwk = Pick<Ed25519Jwk, 'kty' | 'crv' | 'x'> & Partial<Pick<Ed25519Jwk, 'kid' | 'use' | 'alg'>>;

export interface ClaimRequestInput {
  serverName: string;
  version: string;
  /** normalised JWKS of the server's Ed25519 public key(s); keys[0] is the identity key */
  jwks: { keys: ServerJwk[] };
  thumbprint: string;
  hostnameCandidates: string[];
  protocolVersion: string;
  /** headless claim token, if the server presented one */
  claimToken?: string;
  /** proof of possession of the private key (our agent; stock servers send none) */
  keyProof?: KeyProof;
}

const CTX = 'ClaimRequest';
export const MAX_HOSTNAME_CANDIDATES = 32;
const MAX_KEYS = 4;
const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;

function keyInvalid(why: string): HubError {
  return new HubError('server.key_invalid', `The server key is invalid: ${why}`);
}

/** One Ed25519 public JWK, checked strictly: OKP/Ed25519, x = 32 bytes base64url, no private part. */
export function parseServerJwk(v: unknown): ServerJwk {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw keyInvalid('a JWK must be a JSON object');
  const j = v as Record<string, unknown>;
  if (j.kty !== 'OKP') throw keyInvalid('kty must be "OKP"');
  if (j.crv !== 'Ed25519') throw keyInvalid('crv must be "Ed25519"');
  if ('d' in j) throw keyInvalid('a private key must never be sent');
  if (typeof j.x !== 'string' || !B64URL_32.test(j.x)) throw keyInvalid('x must be a 32-byte base64url value');
  if (Buffer.from(j.x, 'base64url').length !== 32) throw keyInvalid('x must be 32 bytes');
  if (j.alg !== undefined && j.alg !== 'EdDSA' && j.alg !== 'Ed25519') throw keyInvalid('alg must be "EdDSA"');
  if (j.use !== undefined && j.use !== 'sig') throw keyInvalid('use must be "sig"');
  if (j.kid !== undefined && (typeof j.kid !== 'string' || j.kid.length > 128)) {
    throw keyInvalid('kid must be a short string');
  }
  try {
    createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: j.x }, format: 'jwk' });
  } catch {
    throw keyInvalid('not a usable Ed25519 public key');
  }
  const out: ServerJwk = { kty: 'OKP', crv: 'Ed25519', x: j.x };
  if (typeof j.kid === 'string') out.kid = j.kid;
  out.use = 'sig';
  out.alg = 'EdDSA';
  return out;
}

/** Accepts a JWKS `{keys:[…]}`, a single JWK, or a list of JWKs. */
export function parseServerKeys(v: unknown): { keys: ServerJwk[] } {
  let list: unknown[];
  if (Array.isArray(v)) {
    list = v;
  } else if (v && typeof v === 'object' && Array.isArray((v as { keys?: unknown }).keys)) {
    list = (v as { keys: unknown[] }).keys;
  } else if (v && typeof v === 'object' && 'kty' in (v as object)) {
    list = [v];
  } else {
    throw keyInvalid('expected an Ed25519 JWK or a JWKS');
  }
  if (list.length === 0) throw keyInvalid('the key set is empty');
  if (list.length > MAX_KEYS) throw keyInvalid(`at most ${MAX_KEYS} keys`);
  return { keys: list.map(parseServerJwk) };
}

/** RFC 7638 JWK thumbprint (SHA-256, hex) of an Ed25519 key. */
export function jwkThumbprint(k: Pick<ServerJwk, 'x'>): string {
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${k.x}"}`).digest('hex');
}

/** Parse a claims/new body, camelCase (shared ClaimRequest) or snake_case (pairing doc). */
export function parseClaimRequest(body: unknown, headerToken?: string): ClaimRequestInput {
  const p = asPayload(body, CTX);
  const serverName = str(p, CTX, ['serverName', 'server_name'], { required: true, max: 255, nonEmpty: true })!.trim();
  const version = str(p, CTX, ['version'], { required: true, max: 64 })!.trim();
  const protocolVersion = str(p, CTX, ['protocolVersion', 'protocol_version'], { max: 10 }) ?? 'v1';
  if (protocolVersion.trim().toLowerCase() !== 'v1') {
    throw new HubError(
      'hub.protocol_unsupported',
      `Protocol version "${protocolVersion}" is not supported; this hub speaks v1`,
    );
  }
  const [keyName, keyValue] = pick(p, [
    'publicKeysJwk',
    'public_keys',
    'publicKeyJwk',
    'public_key_jwk',
    'publicKey',
    'public_key',
    'jwks',
  ]);
  if (keyValue === undefined || keyValue === null) throw invalid(`${CTX} "${keyName}" is required.`);
  const jwks = parseServerKeys(keyValue);
  const hostnameCandidates =
    strList(p, CTX, ['hostnameCandidates', 'hostname_candidates'], MAX_HOSTNAME_CANDIDATES) ?? [];
  const claimToken = str(p, CTX, ['claimToken', 'claim_token'], { max: 200 }) ?? headerToken;
  const keyProof = parseKeyProof(p);
  return {
    serverName,
    version,
    jwks,
    thumbprint: jwkThumbprint(jwks.keys[0]),
    hostnameCandidates,
    protocolVersion: 'v1',
    claimToken: claimToken || undefined,
    ...(keyProof ? { keyProof } : {}),
  };
}

/** Semver-ish compare (x.y.z, pre-release ignored); null when unparsable. */
export function compareVersions(a: string, b: string): number | null {
  const parse = (s: string) => {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(s.trim());
    return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}
