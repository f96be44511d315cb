import { Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'node:crypto';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { HubSettings } from '../common/hub-settings.service.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { isUuid } from '../common/pipes.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../common/auth.decorators.js';
import { ServerClaim } from './entities/server-claim.entity.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimRequestInput, compareVersions } from './wire/claim-request.js';
import { ClaimBindingService } from './claim-binding.service.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { ClaimProofService, proofInvalid, proofRequired } from './claim-proof.service.js';
import { sha256Hex } from '../common/sha256.js';
import { ClaimTokensService } from './claim-tokens.service.js';
import { EnrollmentService } from './enrollment.service.js';
import { ServersService } from './servers.service.js';
import { claimDelivery, claimResponse } from './dto/claim-responses.dto.js';

export const CLAIM_TTL_SECONDS = 600;
/** after a code is claimed, the server has this long to fetch its enrollment by polling */
export const DELIVERY_WINDOW_MS = 600_000;
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CLAIM_FAIL_LIMIT_USER = 10;
export const CLAIM_FAIL_LIMIT_IP = 30;
export const CLAIM_FAIL_WINDOW_SECONDS = 600;
export const CLAIM_NEW_LIMIT_IP = 300;

export function newClaimCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Case- and separator-insensitive: "abcd efgh", "ABCDEFGH", "abcd-efgh" are one code. null if it cannot be a code. */
export function normalizeClaimCode(raw: string): string | null {
  const c = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!/^[A-HJ-NP-Z2-9]{8}$/.test(c)) return null;
  return `${c.slice(0, 4)}-${c.slice(4)}`;
}

/** The pairing flow: claims/new (server), poll (server), claim (user), headless claim tokens. */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly claims: ClaimsRepository,
    private readonly binding: ClaimBindingService,
    private readonly proofs: ClaimProofService,
    private readonly tokens: ClaimTokensService,
    private readonly enrollment: EnrollmentService,
    private readonly servers: ServersService,
    private readonly rate: RateLimitService,
    private readonly settings: HubSettings,
    private readonly audit: AuditService,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * POST /api/v1/server-claims/new → ClaimResponse (+ snake_case twins, dto/claim-responses.dto.ts). Every call is a claim of its
   * own: a fresh code and poll secret that no other caller ever sees, and nothing of another pending
   * claim changes. With a valid `keyProof` the claim is proven; a key that has proven itself once
   * is refused without one (403 claim.key_proof_required).
   */
  async start(input: ClaimRequestInput, ip: string) {
    await this.rate.consume(`claim:new:ip:${ip}`, CLAIM_NEW_LIMIT_IP, CLAIM_FAIL_WINDOW_SECONDS, 'claim.rate_limited');
    const min = await this.settings.get('server.min_version').catch(() => null);
    if (min && (compareVersions(input.version, min) ?? -1) < 0) {
      throw new HubError('server.version_incompatible', `This hub needs Phlix server ${min} or newer`);
    }
    let nonce: string | null = null;
    if (input.keyProof) {
      nonce = await this.proofs.verify(input.keyProof, input);
      if (await this.claims.nonceUsed(nonce)) throw proofInvalid('this challenge was used already; fetch a new one');
    } else if (await this.proofs.isProven(input.thumbprint)) {
      throw proofRequired();
    }
    if (input.claimToken) await this.tokens.peek(input.claimToken); // a bad token is refused before anything is written
    const created = await this.create(input, nonce, ip);
    if (nonce) await this.proofs.markProven(input.thumbprint);
    let claim = created.row;
    let server: { id: string } | null = null;
    if (input.claimToken) {
      const grant = await this.tokens.consume(input.claimToken);
      if (!(await this.take(claim.id, grant.userId))) {
        throw new HubError('claim.code_already_claimed', 'This claim was just taken');
      }
      server = await this.complete(claim, grant.userId, { actorType: 'user', actorId: grant.userId, ip }, 'token');
      await this.tokens.markServer(grant.tokenId, server.id);
      claim = { ...claim, status: 'claimed' };
    }
    const expiresIn = Math.max(1, Math.ceil((claim.expiresAt - this.clock.now()) / 1000));
    const { code, pollSecret } = created;
    return claimResponse({
      code,
      expiresIn,
      pollSecret,
      hubBaseUrl: this.cfg.http.publicUrl,
      expiresAt: claim.expiresAt,
      status: claim.status,
      serverId: server?.id ?? null,
    });
  }

  /** A new pending claim; the code and poll secret leave only in the answer (stored as SHA-256). */
  private async create(
    input: ClaimRequestInput,
    nonce: string | null,
    ip: string,
  ): Promise<{ row: ServerClaim; code: string; pollSecret: string }> {
    const now = this.clock.now();
    for (let attempt = 0; attempt < 8; attempt++) {
      const code = newClaimCode();
      const pollSecret = randomUUID();
      const row: ServerClaim = Object.assign(new ServerClaim(), {
        id: randomUUID(),
        codeHash: sha256Hex(code),
        pollHash: sha256Hex(pollSecret),
        keyThumbprint: input.thumbprint,
        serverName: input.serverName,
        version: input.version,
        publicKeyJwk: JSON.stringify(input.jwks),
        hostnameCandidates: JSON.stringify(input.hostnameCandidates),
        protocolVersion: input.protocolVersion,
        status: 'pending',
        claimedBy: null,
        claimedAt: null,
        serverId: null,
        deliveredAt: null,
        createdIp: ip.slice(0, 64),
        expiresAt: now + CLAIM_TTL_SECONDS * 1000,
        createdAt: now,
        proven: nonce !== null,
        proofNonce: nonce,
      });
      try {
        await this.claims.insert(row);
        return { row, code, pollSecret };
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        // the code collided (look again with a new one), or the same challenge raced us
        if (nonce && (await this.claims.nonceUsed(nonce))) {
          throw proofInvalid('this challenge was used already; fetch a new one');
        }
      }
    }
    throw new Error('could not allocate a claim code');
  }

  /** First claim wins: a single conditional UPDATE; exactly one caller gets true. */
  private async take(claimId: string, userId: string): Promise<boolean> {
    return this.claims.take(claimId, userId, this.clock.now());
  }

  private async complete(
    claim: ServerClaim,
    userId: string,
    actor: { actorType: 'user'; actorId: string; ip: string },
    via: 'code' | 'token',
  ) {
    let bound;
    try {
      bound = await this.binding.bind(claim, userId, actor);
    } catch (e) {
      await this.claims.reopen(claim.id);
      throw e;
    }
    await this.claims.setServer(claim.id, bound.server.id);
    const reclaimed = bound.previousOwnerId !== null && bound.previousOwnerId !== userId;
    await this.audit.record({
      action: 'server.claimed',
      actorId: userId,
      targetType: 'server',
      targetId: bound.server.id,
      ip: actor.ip,
      details: {
        via,
        server_name: bound.server.name,
        reclaimed,
        re_paired: bound.previousOwnerId === userId,
        proven: claim.proven,
      },
    });
    return bound.server;
  }

  /** POST /api/v1/server-claims/claim (user). */
  async redeem(user: AuthUser, body: unknown, ip: string) {
    const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const raw = b.claim_code ?? b.claimCode ?? b.code;
    if (typeof raw !== 'string' || !raw.trim() || raw.length > 64) {
      throw new HubError('request.validation_failed', 'claim_code is required (e.g. "ABCD-EFGH")');
    }
    const userKey = `claim:fail:user:${user.id}`;
    const ipKey = `claim:fail:ip:${ip}`;
    await this.rate.check(userKey, CLAIM_FAIL_LIMIT_USER, 'claim.rate_limited');
    await this.rate.check(ipKey, CLAIM_FAIL_LIMIT_IP, 'claim.rate_limited');
    const failed = async (err: HubError): Promise<never> => {
      await this.rate.hit(userKey, CLAIM_FAIL_WINDOW_SECONDS);
      await this.rate.hit(ipKey, CLAIM_FAIL_WINDOW_SECONDS);
      await this.audit.record({
        action: 'server.claim_failed',
        actorId: user.id,
        outcome: 'failure',
        ip,
        details: { reason: err.code },
      });
      throw err;
    };
    const notFound = () => new HubError('claim.code_not_found', 'Claim code is invalid or has expired');
    const expired = () =>
      new HubError('claim.code_expired', 'This claim code has expired; ask the server for a new one');
    const taken = () =>
      new HubError('claim.code_already_claimed', 'This server has already been claimed by a Hub account');
    const code = normalizeClaimCode(raw);
    const claim = code ? await this.claims.findByCodeHash(sha256Hex(code)) : null;
    if (!claim) return failed(notFound());
    if (claim.status === 'pending' && claim.expiresAt <= this.clock.now()) return failed(expired());
    if (claim.status !== 'pending') throw taken();
    // made before the key first proved itself: only proven claims of that key count now
    if (!claim.proven && (await this.proofs.isProven(claim.keyThumbprint))) throw proofRequired();
    if (!(await this.take(claim.id, user.id))) {
      const again = await this.claims.findById(claim.id);
      if (again && again.status === 'pending') return failed(expired());
      throw taken();
    }
    const server = await this.complete(claim, user.id, { actorType: 'user', actorId: user.id, ip }, 'code');
    return {
      status: 'claimed',
      server_id: server.id,
      server_name: server.name,
      hub_jwks_url: this.servers.hubJwksUrl(),
      server: this.servers.info(server),
    };
  }

  /** GET /api/v1/server-claims/{claimId}: pending | claimed (+ enrollment, exactly once) | expired. */
  async poll(claimId: string) {
    const c = isUuid(claimId) ? await this.claims.findByPollHash(sha256Hex(claimId.toLowerCase())) : null;
    if (!c) throw new HubError('claim.not_found', 'No such claim');
    const now = this.clock.now();
    const pending = () => ({
      status: 'pending',
      expires_in: Math.max(0, Math.ceil((c.expiresAt - now) / 1000)),
      expires_at: Math.floor(c.expiresAt / 1000),
    });
    if (c.status === 'pending') return c.expiresAt <= now ? { status: 'expired' } : pending();
    if (c.deliveredAt !== null) return { status: 'claimed', server_id: c.serverId };
    if (!c.serverId) return pending(); // claimed a moment ago; the server row is being bound
    if (c.claimedAt !== null && now > c.claimedAt + DELIVERY_WINDOW_MS) return { status: 'expired' };
    if (!(await this.claims.markDelivered(c.id, now))) return { status: 'claimed', server_id: c.serverId };
    const e = await this.enrollment.issue(c.serverId, { expectedOwnerId: c.claimedBy ?? undefined });
    if (!e) return { status: 'expired' };
    await this.audit.record({
      action: 'server.enrolled',
      actorType: 'server',
      actorId: c.serverId,
      targetType: 'server',
      targetId: c.serverId,
    });
    return claimDelivery(e);
  }
}
