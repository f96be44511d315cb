import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersService } from '../users/users.service.js';
import { PasswordService } from '../users/password.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionRevocations } from './session-revocations.service.js';

/** Attempts per account per hour: verifying the current password must not become a guessing oracle. */
const ATTEMPTS_PER_HOUR = 10;

/**
 * A signed-in user changes their own password. The current one is verified first; afterwards every
 * other session of the account ends (a stolen refresh token stops working), the one in use stays.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
    private readonly sessions: SessionRevocations,
    private readonly clock: Clock,
    private readonly refresh: SessionsRepository,
  ) {}

  /** `keepFamily`: the refresh-token family of the session making the change (null: end them all). */
  async change(
    userId: string,
    current: string,
    next: string,
    keepFamily: string | null,
    ip: string,
  ): Promise<{ sessions_ended: number }> {
    await this.limits.consume(`password-change:user:${userId}`, ATTEMPTS_PER_HOUR, 3600, 'auth.rate_limited');
    const user = await this.users.getById(userId);
    if (!(await this.passwords.verify(user.passwordHash, current))) {
      await this.audit.record({
        action: 'auth.password_changed',
        actorId: userId,
        targetType: 'user',
        targetId: userId,
        ip,
        outcome: 'failure',
        details: { reason: 'wrong_password' },
      });
      throw new HubError('auth.wrong_password', 'The current password is not right');
    }
    if (current === next) {
      throw new HubError(
        'request.validation_failed',
        'new_password must differ from the current password',
        undefined,
        {},
        [{ field: 'new_password', message: 'new_password must differ from the current password' }],
      );
    }
    await this.users.setPassword(userId, next);
    const ended = await this.endOtherSessions(userId, keepFamily);
    await this.audit.record({
      action: 'auth.password_changed',
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      ip,
      details: { sessions_ended: ended },
    });
    return { sessions_ended: ended };
  }

  private async endOtherSessions(userId: string, keepFamily: string | null): Promise<number> {
    const families = await this.refresh.liveFamilyIdsExcept(userId, keepFamily);
    if (!families.size) return 0;
    this.sessions.markRevoked(families);
    await this.refresh.revokeAllOfUserExcept(userId, keepFamily, this.clock.now());
    return families.size;
  }
}
