import { importJWK } from 'jose';
import type { KeyObject } from 'jose';
import { HubError } from '../common/hub-error.js';
import type { Ed25519Jwk } from '../common/jwk.js';

/** A peer's public signing key as we store it (Ed25519 only). */
export type PeerJwk = Ed25519Jwk;

export const HUB_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const B64URL_RE = /^[A-Za-z0-9_-]+$/;
const MAX_KEYS = 10;

const bad = (msg: string) => new HubError('federation.invalid_jwks', msg);

/**
 * Validate a pasted JWKS (object or JSON text) and normalise it to Ed25519 public keys with a kid.
 * A hub's JWKS also publishes P-256 (ES256) keys for its own user access tokens: those are left
 * out (identity tokens are EdDSA only), so an operator can paste a peer's JWKS as it is served.
 * Refuses anything else: RSA/oct/other EC keys, private keys (`d`), missing/duplicate kid, wrong
 * alg/use, and a set with no Ed25519 key.
 */
export async function normaliseJwks(input: unknown): Promise<{ keys: PeerJwk[] }> {
  let v = input;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw bad('jwks is not valid JSON');
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('jwks must be an object { "keys": [...] }');
  const keys = (v as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) throw bad('jwks.keys must be a non-empty array');
  if (keys.length > MAX_KEYS) throw bad(`jwks holds more than ${MAX_KEYS} keys`);
  const out: PeerJwk[] = [];
  const seen = new Set<string>();
  for (const [i, k] of keys.entries()) {
    const at = `jwks.keys[${i}]`;
    if (!k || typeof k !== 'object' || Array.isArray(k)) throw bad(`${at} must be an object`);
    const j = k as Record<string, unknown>;
    if ('d' in j || 'p' in j || 'k' in j) {
      throw bad(`${at} contains private key material; paste the peer's PUBLIC keys only`);
    }
    if (j.kty === 'EC' && j.crv === 'P-256' && j.alg === 'ES256' && j.use === 'sig') continue; // the peer's access-token key
    if (j.kty !== 'OKP' || j.crv !== 'Ed25519') throw bad(`${at} must be an Ed25519 key (kty "OKP", crv "Ed25519")`);
    if (j.alg !== undefined && j.alg !== 'EdDSA') throw bad(`${at}.alg must be "EdDSA"`);
    if (j.use !== undefined && j.use !== 'sig') throw bad(`${at}.use must be "sig"`);
    if (typeof j.kid !== 'string' || j.kid.length < 1 || j.kid.length > 128) {
      throw bad(`${at}.kid is required (1–128 characters)`);
    }
    if (seen.has(j.kid)) throw bad(`${at}.kid "${j.kid}" appears twice`);
    if (typeof j.x !== 'string' || !B64URL_RE.test(j.x) || Buffer.from(j.x, 'base64url').length !== 32) {
      throw bad(`${at}.x must be a base64url-encoded 32-byte Ed25519 public key`);
    }
    const key: PeerJwk = { kty: 'OKP', crv: 'Ed25519', x: j.x, kid: j.kid, alg: 'EdDSA', use: 'sig' };
    try {
      await importJWK(key, 'EdDSA');
    } catch {
      throw bad(`${at} is not a usable Ed25519 public key`);
    }
    seen.add(j.kid);
    out.push(key);
  }
  if (out.length === 0) throw bad('jwks holds no Ed25519 key');
  return { keys: out };
}

/** The public key of `kid` in a stored JWKS, imported for EdDSA verification; undefined if absent. */
export async function keyFor(jwksJson: string, kid: string): Promise<KeyObject | Uint8Array | undefined> {
  let parsed: { keys?: PeerJwk[] };
  try {
    parsed = JSON.parse(jwksJson) as { keys?: PeerJwk[] };
  } catch {
    return undefined;
  }
  const jwk = parsed.keys?.find((k) => k.kid === kid && k.kty === 'OKP' && k.crv === 'Ed25519');
  if (!jwk) return undefined;
  return importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, 'EdDSA');
}
