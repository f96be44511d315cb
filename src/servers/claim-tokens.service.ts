import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { AuditService } from '../audit/audit.service.js';
import { sha256Hex } from '../common/sha256.js';
import type { AuthUser } from '../common/auth.decorators.js';
import { ClaimTokensRepository } from './claim-tokens.repository.js';
import { UsersService } from '../users/users.service.js';

export const CLAIM_TOKEN_TTL_SECONDS = 600;
export const CLAIM_TOKEN_PREFIX = 'phlix-claim-';
const MAX_ACTIVE_PER_USER = 10;

/**
 * Headless claim tokens: a user mints one, a server without a screen presents it on
 * claims/new and is claimed to that user at once. Short-lived, single-use, SHA-256 at rest.
 */
@Injectable()
export class ClaimTokensService {
  constructor(
    private readonly tokens: ClaimTokensRepository,
    private readonly users: UsersService,
    private readonly rate: RateLimitService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, ip: string) {
    await this.rate.consume(`claim-token:mint:${user.id}`, 30, 3600, 'rate.limited');
    const now = this.clock.now();
    // keep the table bounded: the oldest still-active token of this user is retired
    if ((await this.tokens.countActive(user.id, now)) >= MAX_ACTIVE_PER_USER) {
      await this.tokens.retireOldestActive(user.id, now);
    }
    const secret = `${CLAIM_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = now + CLAIM_TOKEN_TTL_SECONDS * 1000;
    const id = randomUUID();
    await this.tokens.insert({
      id,
      userId: user.id,
      tokenHash: sha256Hex(secret),
      expiresAt,
      usedAt: null,
      serverId: null,
      createdAt: now,
    });
    await this.audit.record({
      action: 'server.claim_token_created',
      actorId: user.id,
      targetType: 'claim_token',
      targetId: id,
      ip,
    });
    return {
      claim_token: secret,
      expires_in: CLAIM_TOKEN_TTL_SECONDS,
      expires_at: new Date(expiresAt).toISOString(),
    };
  }

  /**
   * Use a token exactly once (one conditional UPDATE: concurrent presentations have one winner).
   * Returns the user it claims for; unknown, used, expired, or the user can no longer claim → 400.
   */
  async consume(secret: string): Promise<{ tokenId: string; userId: string }> {
    const row = await this.peek(secret);
    const now = this.clock.now();
    if (!(await this.tokens.use(row.id, now))) {
      throw new HubError('claim.token_invalid', 'The claim token is invalid, expired or already used');
    }
    return { tokenId: row.id, userId: row.userId };
  }

  /** Check a token without using it (same 400 as consume); returns the user it would claim for. */
  async peek(secret: string): Promise<{ id: string; userId: string }> {
    const bad = () => new HubError('claim.token_invalid', 'The claim token is invalid, expired or already used');
    if (typeof secret !== 'string' || !secret.startsWith(CLAIM_TOKEN_PREFIX) || secret.length > 200) throw bad();
    const row = await this.tokens.findByHash(sha256Hex(secret));
    if (!row || row.usedAt !== null || row.expiresAt <= this.clock.now()) throw bad();
    const user = await this.users.findById(row.userId);
    if (!user || user.disabled || user.linkedHubId) throw bad();
    return { id: row.id, userId: row.userId };
  }

  async markServer(tokenId: string, serverId: string): Promise<void> {
    await this.tokens.setServer(tokenId, serverId);
  }
}
