import { Injectable } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { AuthUser } from '../common/auth.decorators.js';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { AuthRegistry } from '../common/auth-registry.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { KeysService } from '../auth/keys.service.js';
import { TokensService } from '../auth/tokens.service.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersService } from '../users/users.service.js';
import { User } from '../users/entities/user.entity.js';
import { UsedIdentityTokensRepository } from './used-identity-tokens.repository.js';
import { TrustedHubsService } from './trusted-hubs.service.js';
import { HUB_ID_RE, keyFor } from './jwks.js';
import { shadowUsername } from './shadow-username.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { sha256Hex } from '../common/sha256.js';

/** Lifetime of identity tokens we mint; tokens we accept may live at most MAX_LIFETIME. */
export const IDENTITY_TOKEN_TTL = 300;
export const IDENTITY_TOKEN_MAX_LIFETIME = 600;
const TOLERANCE = 5;
/** audiences our own tokens use: an identity token must never be minted for them */
const RESERVED_AUDIENCES = new Set(['hub', 'server', 'relay', 'client']);

const invalid = (msg = 'The identity token is invalid') => new HubError('federation.invalid_identity_token', msg);

/**
 * Manual account linking, both roles: mint identity tokens for our users (home hub), and redeem
 * identity tokens of trusted peers into shadow accounts (visited hub).
 */
@Injectable()
export class IdentityService {
  constructor(
    private readonly used: UsedIdentityTokensRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly keys: KeysService,
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly trusted: TrustedHubsService,
    private readonly registry: AuthRegistry,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
  ) {}

  /** Home-hub role: a short-lived, single-audience token carrying only the user's id and username. */
  async mint(user: AuthUser, audienceHubId: string, ip: string) {
    if (!HUB_ID_RE.test(audienceHubId) || RESERVED_AUDIENCES.has(audienceHubId) || audienceHubId === this.cfg.hub.id) {
      throw new HubError('federation.invalid_audience', 'audience_hub_id must be the id of another hub');
    }
    const peer = await this.trusted.findByHubId(audienceHubId);
    if (peer?.blocked) {
      throw new HubError(
        'federation.peer_blocked',
        `This hub does not issue identity tokens for hub "${audienceHubId}"`,
      );
    }
    await this.limits.consume(`identity:user:${user.id}`, 30, 600, 'auth.rate_limited');
    const token = await this.keys.sign(
      { token_use: 'identity', username: user.username },
      { audience: audienceHubId, subject: user.id, ttlSeconds: IDENTITY_TOKEN_TTL },
    );
    await this.audit.record({
      action: 'federation.identity_token_issued',
      actorId: user.id,
      targetType: 'hub',
      targetId: audienceHubId,
      ip,
    });
    return {
      identity_token: token,
      token_type: 'identity',
      issuer_hub_id: this.cfg.hub.id,
      audience_hub_id: audienceHubId,
      expires_in: IDENTITY_TOKEN_TTL,
      expires_at: new Date(this.clock.nowSeconds() * 1000 + IDENTITY_TOKEN_TTL * 1000).toISOString(),
    };
  }

  /** Visited-hub role: verify a peer's identity token and sign its user in to their shadow account. */
  async link(token: string, ip: string) {
    await this.limits.consume(`link:ip:${ip}`, 60, 600, 'auth.rate_limited');
    let iss: string | null = null;
    let user: User, created: boolean, remoteId: string;
    try {
      const v = await this.verify(token);
      iss = v.iss;
      await this.consumeJti(v.iss, v.payload);
      remoteId = v.payload.sub!;
      ({ user, created } = await this.findOrCreateShadow(v.iss, remoteId, v.payload.username as string));
      if (user.disabled) throw new HubError('auth.user_disabled', 'This account is disabled');
      for (const check of this.registry.userChecks) await check(user);
    } catch (e) {
      const reason = e instanceof HubError ? e.code : 'internal';
      // the issuer as the token claims it (unverified when verification failed): who to look at
      const claimed = iss ?? peekIssuer(token);
      await this.audit.record({
        action: 'federation.link_failed',
        outcome: 'failure',
        ip,
        targetType: 'hub',
        targetId: claimed,
        details: { reason, verified_issuer: iss !== null },
      });
      throw e;
    }
    await this.audit.record({
      action: 'federation.account_linked',
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ip,
      details: { hub_id: iss, created },
    });
    const session = await this.tokens.issue(user);
    return { ...session, linked: { hub_id: iss, remote_user_id: remoteId, created } };
  }

  /** Checks in order: shape, pinned alg/kid, trusted & not blocked issuer, signature, expiry, audience, claims. */
  private async verify(token: string): Promise<{ iss: string; payload: JWTPayload }> {
    if (typeof token !== 'string' || token.length > 8192 || token.split('.').length !== 3) throw invalid();
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw invalid();
    }
    if (header.alg !== 'EdDSA') throw invalid('Identity tokens must be signed with EdDSA');
    if (typeof header.kid !== 'string' || !header.kid) throw invalid('The identity token names no signing key (kid)');
    if (header.typ !== undefined && header.typ !== 'JWT') throw invalid();
    const iss = unverified.iss;
    if (typeof iss !== 'string' || !HUB_ID_RE.test(iss)) throw invalid('The identity token names no valid issuer hub');
    const peer = await this.trusted.findByHubId(iss);
    if (!peer) throw new HubError('federation.peer_untrusted', `Hub "${iss}" is not trusted by this hub`);
    if (peer.blocked) throw new HubError('federation.peer_blocked', `Hub "${iss}" is blocked on this hub`);
    const key = await keyFor(peer.jwks, header.kid);
    if (!key) throw invalid(`The identity token was signed with a key this hub does not know for "${iss}"`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['EdDSA'],
        issuer: iss,
        currentDate: new Date(this.clock.now()),
        clockTolerance: TOLERANCE,
        maxTokenAge: IDENTITY_TOKEN_MAX_LIFETIME,
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'aud'],
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) {
        throw new HubError(
          'federation.identity_token_expired',
          'The identity token has expired; get a new one from your home hub',
        );
      }
      throw invalid();
    }
    const aud = Array.isArray(payload.aud) && payload.aud.length === 1 ? payload.aud[0] : payload.aud;
    if (aud !== this.cfg.hub.id) {
      throw new HubError(
        'federation.wrong_audience',
        `The identity token is not meant for this hub ("${this.cfg.hub.id}")`,
      );
    }
    if (payload.token_use !== 'identity') throw invalid('Not an identity token');
    if (typeof payload.sub !== 'string' || !payload.sub || payload.sub.length > 191) {
      throw invalid('The identity token has no valid subject');
    }
    if (typeof payload.jti !== 'string' || payload.jti.length < 8 || payload.jti.length > 128) {
      throw invalid('The identity token has no valid id (jti)');
    }
    if (typeof payload.username !== 'string' || !payload.username.trim() || payload.username.length > 100) {
      throw invalid('The identity token has no valid username');
    }
    if (payload.exp! - payload.iat! > IDENTITY_TOKEN_MAX_LIFETIME) {
      throw invalid('Identity tokens may live at most 10 minutes');
    }
    return { iss, payload };
  }

  /** Record the token id; a second redemption of the same (issuer, jti) loses on the primary key. */
  private async consumeJti(iss: string, payload: JWTPayload): Promise<void> {
    const now = this.clock.now();
    await this.used.deleteExpired(now);
    try {
      await this.used.insert({
        id: sha256Hex(`${iss}\n${payload.jti}`),
        hubId: iss,
        expiresAt: (payload.exp! + TOLERANCE + 60) * 1000,
        createdAt: now,
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new HubError(
          'federation.identity_token_replayed',
          'This identity token was already used; get a new one from your home hub',
        );
      }
      throw e;
    }
  }

  private async findOrCreateShadow(
    hubId: string,
    remoteUserId: string,
    remoteUsername: string,
  ): Promise<{ user: User; created: boolean }> {
    const find = () => this.users.findLinked(hubId, remoteUserId);
    const existing = await find();
    if (existing) return { user: existing, created: false };
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        const user = await this.users.create({
          username: shadowUsername(remoteUsername.trim(), hubId, attempt),
          email: null,
          displayName: remoteUsername.trim().slice(0, 100),
          linkedHubId: hubId,
          remoteUserId,
        });
        return { user, created: true };
      } catch (e) {
        if (!(e instanceof HubError) || e.code !== 'user.username_taken') throw e;
        const raced = await find();
        if (raced) return { user: raced, created: false };
      }
    }
    throw new HubError('user.username_taken', 'Could not find a free username for the linked account');
  }
}

/** `iss` of a JWT read without verifying it, if it is a plausible hub id; else null. */
function peekIssuer(token: string): string | null {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' && HUB_ID_RE.test(iss) ? iss : null;
  } catch {
    return null;
  }
}
