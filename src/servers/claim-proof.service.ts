import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { KeysService } from '../auth/keys.service.js';
import { ClaimsRepository } from './claims.repository.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import type { ClaimRequestInput } from './wire/claim-request.js';
import { claimProofSignatureValid, type KeyProof } from './wire/claim-proof.js';

export const CHALLENGE_TTL_SECONDS = 120;
const CHALLENGE_AUDIENCE = 'claim-proof';
const CHALLENGE_USE = 'claim_challenge';
export const CHALLENGE_LIMIT_IP = 300;

export function proofInvalid(why: string): HubError {
  return new HubError('claim.key_proof_invalid', `The key proof is invalid: ${why}`);
}

export function proofRequired(): HubError {
  return new HubError(
    'claim.key_proof_required',
    'This server key has proven possession of its private key before: pairing it needs a key proof (keyProof) on every claim',
  );
}

/**
 * Proof of possession of a server's private key on claims/new: hub-issued challenges (stateless,
 * signed by the hub key, 120 s, each usable for one claim — the claim row keeps its jti unique),
 * the signature check, and the record of keys that have proven possession.
 */
@Injectable()
export class ClaimProofService {
  constructor(
    private readonly claims: ClaimsRepository,
    private readonly keys: KeysService,
    private readonly rate: RateLimitService,
    private readonly clock: Clock,
  ) {}

  async challenge(ip: string) {
    await this.rate.consume(`claim:challenge:ip:${ip}`, CHALLENGE_LIMIT_IP, 600, 'claim.rate_limited');
    const challenge = await this.keys.sign(
      { token_use: CHALLENGE_USE },
      { audience: CHALLENGE_AUDIENCE, subject: 'claim', ttlSeconds: CHALLENGE_TTL_SECONDS },
    );
    return { challenge, expires_in: CHALLENGE_TTL_SECONDS };
  }

  /** Check a key proof; returns the challenge's jti (the nonce the claim row must own). 401 if it does not hold. */
  async verify(proof: KeyProof, input: ClaimRequestInput): Promise<string> {
    let jti: string;
    try {
      jti = (await this.keys.verify(proof.challenge, { audience: CHALLENGE_AUDIENCE, tokenUse: CHALLENGE_USE })).jti!;
    } catch (e) {
      if (e instanceof HubError) throw proofInvalid('the challenge is unknown or expired; fetch a new one');
      throw e;
    }
    if (!claimProofSignatureValid(proof, input)) {
      throw proofInvalid('the signature does not verify with the first public key');
    }
    return jti;
  }

  async isProven(thumbprint: string): Promise<boolean> {
    return this.claims.isProven(thumbprint);
  }

  async markProven(thumbprint: string): Promise<void> {
    try {
      await this.claims.insertProof(thumbprint, this.clock.now());
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // proven before
    }
  }
}
