import { Injectable } from '@nestjs/common';
import { HubConfig } from '../config/config.js';
import { HubError } from '../common/hub-error.js';
import { Clock } from '../common/clock.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { AuthRegistry } from '../common/auth-registry.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersService } from '../users/users.service.js';
import { PasswordService } from '../users/password.service.js';
import { HubSettings } from '../common/hub-settings.service.js';
import { AuthSession, TokensService } from './tokens.service.js';
import { AccessTokenStrategy } from './access-token.strategy.js';
import { sha256Hex } from '../common/sha256.js';
import { LoginThrottle } from './login-throttle.js';
import { LoginDto, RegisterDto } from './dto/auth.dto.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly cfg: HubConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokensService,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
    private readonly registry: AuthRegistry,
    private readonly settings: HubSettings,
    private readonly clock: Clock,
    private readonly access: AccessTokenStrategy,
    private readonly throttle: LoginThrottle,
  ) {}

  async register(dto: RegisterDto, ip: string): Promise<AuthSession> {
    if (!(await this.signupsEnabled())) {
      throw new HubError('auth.signups_disabled', 'Sign-ups are disabled on this hub');
    }
    await this.limits.consume(`signup:ip:${ip}`, this.cfg.auth.signupsPerIpPerHour, 3600, 'auth.rate_limited');
    const user = await this.users.create(
      { username: dto.username, email: dto.email, password: dto.password, displayName: dto.display_name },
      true,
    );
    await this.audit.record({
      action: 'auth.register',
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ip,
      details: { admin: user.isAdmin },
    });
    return this.tokens.issue(user);
  }

  /** Throttled by LoginThrottle (per account+address, per address, per account; see there). */
  async login(dto: LoginDto, ip: string): Promise<AuthSession> {
    const login = (dto.username ?? dto.email ?? '').trim();
    if (!login) throw new HubError('request.validation_failed', 'username or email is required');
    const user = await this.users.findByLogin(login);
    // keyed by the account id when it exists (username and email share one budget)
    const attempt = {
      account: user ? user.id : `name:${sha256Hex(login.toLowerCase()).slice(0, 32)}`,
      userId: user?.id ?? null,
      ip,
    };
    await this.throttle.admit(attempt);
    const ok = await this.passwords.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !ok) {
      await this.audit.record({
        action: 'auth.login_failed',
        actorId: user?.id ?? null,
        ip,
        outcome: 'failure',
        details: { reason: user ? 'bad_password' : 'unknown_user' },
      });
      throw new HubError('auth.invalid_credentials', 'Invalid username/email or password');
    }
    await this.throttle.succeeded(attempt);
    if (user.disabled) {
      await this.audit.record({
        action: 'auth.login_failed',
        actorId: user.id,
        ip,
        outcome: 'denied',
        details: { reason: 'disabled' },
      });
      throw new HubError('auth.user_disabled', 'This account is disabled');
    }
    for (const check of this.registry.userChecks) await check(user);
    await this.audit.record({ action: 'auth.login', actorId: user.id, ip });
    return this.tokens.issue(user);
  }

  async refresh(secret: string, ip: string | null = null): Promise<AuthSession> {
    return this.tokens.rotate(secret, ip, async (userId, familyId) => {
      const user = await this.users.findById(userId);
      if (!user) {
        await this.tokens.revokeFamily(familyId);
        throw new HubError('auth.invalid_token', 'The refresh token is invalid');
      }
      if (user.disabled) {
        await this.tokens.revokeFamily(familyId);
        throw new HubError('auth.user_disabled', 'This account is disabled');
      }
      for (const check of this.registry.userChecks) await check(user);
      return user;
    });
  }

  /** End the session of the refresh token and/or of the presented access token. */
  async logout(secret?: string, bearer?: string): Promise<void> {
    if (secret) await this.tokens.revokeBySecret(secret);
    if (bearer) {
      const claims = await this.access.verify(bearer).catch(() => null);
      if (claims && typeof claims.sid === 'string') await this.tokens.revokeFamilyOf(claims.sub!, claims.sid);
    }
  }

  private async signupsEnabled(): Promise<boolean> {
    const live = await this.settings.get('auth.signups_enabled');
    return live === null ? this.cfg.auth.signupsEnabled : live === 'true';
  }
}
