import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import type { JWK } from 'jose';
import type { Ed25519Jwk } from '../common/jwk.js';

/**
 * The two kinds of hub signing key. EdDSA (Ed25519) signs everything servers and peer hubs verify
 * (enrollment, identity and challenge tokens: the wire contract). ES256 (P-256) signs user access
 * tokens only, which the hub itself verifies through passport-jwt (jsonwebtoken has no EdDSA).
 */
export type KeyAlg = 'EdDSA' | 'ES256';

export interface StoredKey {
  kid: string;
  private: JWK;
  public: JWK;
  created_at: number;
  /** set when a newer key of the same kind took over; published until retired_at + grace */
  retired_at?: number;
}

/** the hub's Ed25519 public key: the one Ed25519 JWK type of the hub */
export type Ed25519PublicJwk = Ed25519Jwk;

export interface P256PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  use: 'sig';
  alg: 'ES256';
}

export type PublicJwk = Ed25519PublicJwk | P256PublicJwk;

/** kid = base64url(SHA-256(raw public key)): stable across restarts. */
export function kidFor(x: string): string {
  return createHash('sha256').update(Buffer.from(x, 'base64url')).digest('base64url');
}

/** The P-256 kid: base64url(SHA-256(uncompressed point 0x04 ‖ x ‖ y)), the same rule for an EC key. */
export function ecKidFor(x: string, y: string): string {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]))
    .digest('base64url');
}

export function algOf(k: StoredKey): KeyAlg {
  return k.public?.kty === 'EC' ? 'ES256' : 'EdDSA';
}

export function newKey(alg: KeyAlg, now: number): StoredKey {
  const { privateKey, publicKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }) as JWK;
  const priv = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = alg === 'ES256' ? ecKidFor(pub.x!, pub.y!) : kidFor(pub.x!);
  return { kid, private: priv, public: pub, created_at: now };
}

/** Check a stored key (its kid must be derived from its public key) and import both halves. */
export function importStored(k: StoredKey, file: string): { priv: KeyObject; pub: KeyObject } {
  const p = k.public;
  if (p?.kty === 'EC') {
    if (p.crv !== 'P-256' || ecKidFor(p.x ?? '', p.y ?? '') !== k.kid) {
      throw new Error(`${file}: key ${k.kid} is not a valid P-256 key`);
    }
  } else if (p?.kty !== 'OKP' || p.crv !== 'Ed25519' || kidFor(p.x ?? '') !== k.kid) {
    throw new Error(`${file}: key ${k.kid} is not a valid Ed25519 key`);
  }
  const priv = createPrivateKey({ key: k.private as never, format: 'jwk' });
  const pub = createPublicKey({ key: p as never, format: 'jwk' });
  if (priv.asymmetricKeyType !== pub.asymmetricKeyType) throw new Error(`${file}: key ${k.kid} has mismatched halves`);
  return { priv, pub };
}

export function publicJwk(k: StoredKey): PublicJwk {
  if (algOf(k) === 'ES256') {
    return { kty: 'EC', crv: 'P-256', x: k.public.x!, y: k.public.y!, kid: k.kid, use: 'sig', alg: 'ES256' };
  }
  return { kty: 'OKP', crv: 'Ed25519', x: k.public.x!, kid: k.kid, use: 'sig', alg: 'EdDSA' };
}

/** Run `fn` holding the lock file `lock` (exclusive create; a lock older than 30 s is a crashed holder's). */
export function withFileLock(lock: string, fn: () => void): void {
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { force: true });
      } catch {
        /* released meanwhile */
      }
      if (i > 500) throw new Error(`${lock} is held by another process`, { cause: e });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
