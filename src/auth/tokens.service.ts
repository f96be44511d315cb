import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, LessThan, Not, Repository } from 'typeorm';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { KeysService } from './keys.service.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User, userView } from '../users/entities/user.entity.js';
import { AuditService } from '../audit/audit.service.js';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface AuthSession {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: ReturnType<typeof userView>;
}

/** An access JWT for `user` (also used by bench/relay/tokens.mjs, so its tokens are the hub's own). */
export function signAccessToken(keys: KeysService, user: Pick<User, 'id' | 'username' | 'isAdmin' | 'linkedHubId'>, ttlSeconds: number): Promise<string> {
  return keys.sign(
    { token_use: 'access', username: user.username, ...(user.isAdmin && !user.linkedHubId ? { adm: true } : {}) },
    { audience: 'hub', subject: user.id, ttlSeconds },
  );
}

/** Access JWTs (EdDSA) and opaque rotating refresh tokens (hashed at rest, family revocation on reuse). */
@Injectable()
export class TokensService {
  private lastPrune = 0;

  constructor(
    private readonly keys: KeysService,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    @InjectRepository(RefreshToken) private readonly refresh: Repository<RefreshToken>,
    private readonly audit: AuditService,
  ) {}

  async issue(user: User, familyId: string = randomUUID()): Promise<AuthSession> {
    const access = await signAccessToken(this.keys, user, this.cfg.accessTtl);
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.prune(now);
    await this.refresh.insert({
      id: randomUUID(),
      tokenHash: sha256(secret),
      familyId,
      userId: user.id,
      expiresAt: now + this.cfg.refreshTtl * 1000,
      usedAt: null,
      revokedAt: null,
      createdAt: now,
    });
    return { access_token: access, refresh_token: secret, token_type: 'Bearer', expires_in: this.cfg.accessTtl, user: userView(user) };
  }

  /**
   * Consume a refresh token exactly once. Returns the user id and family to continue.
   * A token used twice (stolen and replayed) revokes its whole family.
   */
  async consume(secret: string, ip: string | null = null): Promise<{ userId: string; familyId: string }> {
    const invalid = () => new HubError('auth.invalid_token', 'The refresh token is invalid');
    const row = await this.refresh.findOne({ where: { tokenHash: sha256(secret) } });
    const now = this.clock.now();
    if (!row || row.revokedAt !== null || row.expiresAt <= now) throw invalid();
    if (row.usedAt !== null) {
      await this.reused(row.userId, row.familyId, ip, 'replayed');
      throw invalid();
    }
    const res = await this.refresh.update({ id: row.id, usedAt: IsNull() }, { usedAt: now });
    if (!res.affected) {
      // Lost a race with another use of the same token: treat as reuse.
      await this.reused(row.userId, row.familyId, ip, 'concurrent_use');
      throw invalid();
    }
    return { userId: row.userId, familyId: row.familyId };
  }

  /** A rotated token came back: whoever holds the family is suspect, so all of it ends. */
  private async reused(userId: string, familyId: string, ip: string | null, how: string): Promise<void> {
    await this.revokeFamily(familyId);
    await this.audit.record({ action: 'auth.refresh_reused', actorId: userId, targetType: 'token_family', targetId: familyId, ip, outcome: 'denied', details: { how } });
  }

  /**
   * Continue a family after a successful consume(). If the family was revoked meanwhile (a
   * concurrent replay of the same token), the new token is revoked too and the caller gets 401.
   */
  async rotate(user: User, familyId: string): Promise<AuthSession> {
    const session = await this.issue(user, familyId);
    if (await this.refresh.exists({ where: { familyId, revokedAt: Not(IsNull()) } })) {
      await this.revokeFamily(familyId);
      throw new HubError('auth.invalid_token', 'The refresh token is invalid');
    }
    return session;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.refresh.update({ familyId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  async revokeBySecret(secret: string): Promise<void> {
    const row = await this.refresh.findOne({ where: { tokenHash: sha256(secret) } });
    if (row) await this.revokeFamily(row.familyId);
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.refresh.update({ userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** Forget a deleted user's tokens. */
  async deleteAllForUser(userId: string): Promise<void> {
    await this.refresh.delete({ userId });
  }

  /** Bounded clean-up of expired rows (at most once a minute per process; reuse detection only needs live ones). */
  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < 60_000 && now >= this.lastPrune) return;
    this.lastPrune = now;
    try {
      const old = await this.refresh.find({ select: { id: true }, where: { expiresAt: LessThan(now) }, take: 500 });
      if (old.length) await this.refresh.delete(old.map((r) => r.id));
    } catch {
      /* best effort */
    }
  }
}
