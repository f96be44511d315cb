import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { KeysService } from './keys.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { User, userView } from '../users/entities/user.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { SessionRevocations } from './session-revocations.service.js';
import { openSuccessor, sealSuccessor } from './successor-box.js';
import { sha256Hex } from '../common/sha256.js';

export interface AuthSession {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: ReturnType<typeof userView>;
}

/**
 * An access JWT (ES256) for `user` in session `sid` (its refresh-token family: the token ends with it).
 * Also used by bench/relay/tokens.mjs, so its tokens are the hub's own (there: a session of its own).
 */
export function signAccessToken(
  keys: KeysService,
  user: Pick<User, 'id' | 'username' | 'isAdmin' | 'linkedHubId'>,
  ttlSeconds: number,
  sid: string = randomUUID(),
): Promise<string> {
  return keys.signAccess(
    { token_use: 'access', username: user.username, sid, ...(user.isAdmin && !user.linkedHubId ? { adm: true } : {}) },
    { audience: 'hub', subject: user.id, ttlSeconds },
  );
}

/**
 * How long (ms) after a refresh token was rotated a second presentation of it counts as the same
 * client racing itself (two tabs, a retry): it gets the same new refresh token instead of ending
 * the session. Later presentations are replays and revoke the whole family.
 */
export const REFRESH_REUSE_GRACE_MS = 10_000;

const invalidRefresh = () => new HubError('auth.invalid_token', 'The refresh token is invalid');

/** Access JWTs (ES256) and opaque rotating refresh tokens (hashed at rest, family revocation on reuse). */
@Injectable()
export class TokensService {
  private lastPrune = 0;

  constructor(
    private readonly keys: KeysService,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly refresh: SessionsRepository,
    private readonly audit: AuditService,
    private readonly sessions: SessionRevocations,
  ) {}

  /** A new session (refresh-token family) for `user`. */
  async issue(user: User, familyId: string = randomUUID()): Promise<AuthSession> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.prune(now);
    await this.insertToken(user.id, familyId, secret, now);
    return this.session(user, familyId, secret);
  }

  private async insertToken(userId: string, familyId: string, secret: string, now: number): Promise<string> {
    const id = randomUUID();
    await this.refresh.insert({
      id,
      tokenHash: sha256Hex(secret),
      familyId,
      userId,
      expiresAt: now + this.cfg.auth.refreshTtlSeconds * 1000,
      usedAt: null,
      revokedAt: null,
      successorBox: null,
      createdAt: now,
    });
    return id;
  }

  private async session(user: User, familyId: string, secret: string): Promise<AuthSession> {
    const access = await signAccessToken(this.keys, user, this.cfg.auth.accessTtlSeconds, familyId);
    return {
      access_token: access,
      refresh_token: secret,
      token_type: 'Bearer',
      expires_in: this.cfg.auth.accessTtlSeconds,
      user: userView(user),
    };
  }

  /**
   * Rotate a refresh token exactly once. `admit` loads the token's user and throws when they may
   * no longer sign in. The winner's new token is sealed into the old row (successor-box.ts), so a
   * concurrent or retried presentation within REFRESH_REUSE_GRACE_MS gets the same new token and
   * the session survives; a presentation after that (or once the successor was itself used) is a
   * replay: the whole family is revoked.
   */
  async rotate(
    secret: string,
    ip: string | null,
    admit: (userId: string, familyId: string) => Promise<User>,
  ): Promise<AuthSession> {
    let row = await this.refresh.findByHash(sha256Hex(secret));
    const now = this.clock.now();
    if (!row || row.revokedAt !== null || row.expiresAt <= now) throw invalidRefresh();
    const user = await admit(row.userId, row.familyId);
    if (row.usedAt === null) {
      const next = randomBytes(32).toString('base64url');
      const nextId = await this.insertToken(user.id, row.familyId, next, now);
      if (await this.refresh.markUsed(row.id, now, sealSuccessor(secret, next))) {
        return this.continueFamily(user, row.familyId, next);
      }
      await this.refresh.deleteById(nextId); // lost the race: the winner's successor is the one
      row = await this.refresh.findById(row.id);
      if (!row || row.revokedAt !== null) throw invalidRefresh();
    }
    const usedAt = row.usedAt ?? now;
    if (now - usedAt <= REFRESH_REUSE_GRACE_MS && row.successorBox) {
      const next = openSuccessor(secret, row.successorBox);
      const succ = next ? await this.refresh.findByHash(sha256Hex(next)) : null;
      if (
        next &&
        succ &&
        succ.familyId === row.familyId &&
        succ.usedAt === null &&
        succ.revokedAt === null &&
        succ.expiresAt > now
      ) {
        return this.continueFamily(user, row.familyId, next);
      }
    }
    await this.reused(
      row.userId,
      row.familyId,
      ip,
      now - usedAt <= REFRESH_REUSE_GRACE_MS ? 'concurrent_use' : 'replayed',
    );
    throw invalidRefresh();
  }

  /** A rotated token came back: whoever holds the family is suspect, so all of it ends. */
  private async reused(userId: string, familyId: string, ip: string | null, how: string): Promise<void> {
    await this.revokeFamily(familyId);
    await this.audit.record({
      action: 'auth.refresh_reused',
      actorId: userId,
      targetType: 'token_family',
      targetId: familyId,
      ip,
      outcome: 'denied',
      details: { how },
    });
  }

  /** If the family was revoked meanwhile (logout, a replay), the new token dies with it: 401. */
  private async continueFamily(user: User, familyId: string, next: string): Promise<AuthSession> {
    if (await this.refresh.familyHasRevoked(familyId)) {
      await this.revokeFamily(familyId);
      throw invalidRefresh();
    }
    return this.session(user, familyId, next);
  }

  /** End a session: its refresh tokens and (through SessionRevocations) its access tokens. */
  async revokeFamily(familyId: string): Promise<void> {
    this.sessions.markRevoked([familyId]);
    await this.refresh.revokeFamily(familyId, this.clock.now());
  }

  async revokeBySecret(secret: string): Promise<void> {
    const row = await this.refresh.findByHash(sha256Hex(secret));
    if (row) await this.revokeFamily(row.familyId);
  }

  /** End session `familyId` if it is `userId`'s (logout with an access token). */
  async revokeFamilyOf(userId: string, familyId: string): Promise<void> {
    if (await this.refresh.familyBelongsTo(familyId, userId)) await this.revokeFamily(familyId);
  }

  /** End every session of a user (password reset, disabling). */
  async revokeAllForUser(userId: string): Promise<void> {
    this.sessions.markRevoked(await this.refresh.liveFamilyIds(userId));
    await this.refresh.revokeAllOfUser(userId, this.clock.now());
  }

  /** Forget a deleted user's tokens. */
  async deleteAllForUser(userId: string): Promise<void> {
    await this.refresh.deleteAllOfUser(userId);
  }

  /** Bounded clean-up of expired rows (at most once a minute per process; reuse detection only needs live ones). */
  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < 60_000 && now >= this.lastPrune) return;
    this.lastPrune = now;
    try {
      await this.refresh.deleteExpired(now, 500);
    } catch {
      /* best effort */
    }
  }
}
