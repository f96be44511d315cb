import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { asPayload, invalid, type Payload } from './payload.js';
import type { ClaimRequestInput, ServerJwk } from './claim-request.js';

/**
 * Key proof on claims/new (docs/protocol/pairing.md): the server fetches a hub-issued challenge
 * (POST /api/v1/server-claims/challenge) and signs, with its Ed25519 identity key (keys[0]),
 *
 *   "phlix-claim-proof/v1\n" + challenge + "\n" + thumbprint + "\n" + digest
 *
 * where `digest` is the SHA-256 hex of the canonical JSON of what the request asks for (name,
 * version, hostname candidates, all public keys, claim token). Sent in the body as
 * `keyProof: { challenge, signature }` (base64url signature); stock servers send none.
 */
export const CLAIM_PROOF_CONTEXT = 'phlix-claim-proof/v1';
const MAX_CHALLENGE = 4096;
const SIG_B64URL = /^[A-Za-z0-9_-]{86}$/;

export interface KeyProof {
  challenge: string;
  /** base64url Ed25519 signature (64 bytes) */
  signature: string;
}

export type ProofFields = Pick<
  ClaimRequestInput,
  'serverName' | 'version' | 'hostnameCandidates' | 'jwks' | 'thumbprint' | 'claimToken'
>;

export function claimProofDigest(i: ProofFields): string {
  const canonical = JSON.stringify([
    i.thumbprint,
    i.serverName,
    i.version,
    i.hostnameCandidates,
    i.jwks.keys.map((k) => k.x),
    i.claimToken ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function claimProofMessage(challenge: string, i: ProofFields): Buffer {
  return Buffer.from(`${CLAIM_PROOF_CONTEXT}\n${challenge}\n${i.thumbprint}\n${claimProofDigest(i)}`, 'utf8');
}

/** The server side: sign a claim request (already normalised by parseClaimRequest) for `challenge`. */
export function signClaimProof(privateKey: KeyObject, challenge: string, i: ProofFields): KeyProof {
  return { challenge, signature: sign(null, claimProofMessage(challenge, i), privateKey).toString('base64url') };
}

/** The hub side: does `proof.signature` verify with the request's identity key (keys[0])? */
export function claimProofSignatureValid(proof: KeyProof, i: ProofFields): boolean {
  const jwk: ServerJwk = i.jwks.keys[0];
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    return verify(null, claimProofMessage(proof.challenge, i), key, Buffer.from(proof.signature, 'base64url'));
  } catch {
    return false;
  }
}

/** `keyProof` / `key_proof` of a claims/new body: absent → undefined; present but malformed → 400. */
export function parseKeyProof(p: Payload): KeyProof | undefined {
  const v = p.keyProof ?? p.key_proof;
  if (v === undefined || v === null) return undefined;
  const o = asPayload(v, 'ClaimRequest "keyProof"');
  const { challenge, signature } = o;
  if (typeof challenge !== 'string' || !challenge || challenge.length > MAX_CHALLENGE) {
    throw invalid('ClaimRequest "keyProof.challenge" must be the challenge string.');
  }
  if (typeof signature !== 'string' || !SIG_B64URL.test(signature)) {
    throw invalid('ClaimRequest "keyProof.signature" must be a base64url Ed25519 signature.');
  }
  return { challenge, signature };
}
