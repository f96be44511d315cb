import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { HubEvents } from '../common/hub-events.js';
import { HubSettings } from '../common/hub-settings.service.js';
import { ServerVerifier } from '../common/server-verifier.js';
import type { AuthServer } from '../common/auth.decorators.js';
import { KeysService } from '../auth/keys.service.js';
import { isUuid } from '../common/pipes.js';
import { UsersService } from '../users/users.service.js';
import { ServersRepository } from './servers.repository.js';
import { AuditService } from '../audit/audit.service.js';

export interface IssuedEnrollment {
  enrollment_jwt: string;
  /** UNIX seconds */
  expires_at: number;
  expires_in: number;
  server_id: string;
  hub_base_url: string;
  hub_jwks_url: string;
}

/**
 * Enrollment JWTs (docs/protocol/wire.md §4): EdDSA by the hub key,
 * `{token_use:'enrollment', server_id, hub_base_url}`, aud `server`, sub = server id, one valid
 * jti per server (servers.enrollment_jti). The ServerVerifier behind @ServerAuth() and the relay handshake.
 */
@Injectable()
export class EnrollmentService implements ServerVerifier {
  constructor(
    private readonly servers: ServersRepository,
    private readonly users: UsersService,
    private readonly keys: KeysService,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly settings: HubSettings,
    private readonly events: HubEvents,
    private readonly audit: AuditService,
  ) {}

  /** TTL in seconds: live setting `server.enrollment_ttl` if set and sane, else HUB_ENROLLMENT_TTL. */
  async ttlSeconds(): Promise<number> {
    const raw = await this.settings.get('server.enrollment_ttl').catch(() => null);
    const n = raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= 300 && n <= 31536000 ? n : this.cfg.auth.enrollmentTtlSeconds;
  }

  /**
   * Mint a new enrollment for a server and make it the only valid one. `expectedOwnerId` guards
   * against a release racing the delivery; `expectedJti` (renew) lets only one rotation win.
   * Returns null when the condition no longer holds.
   */
  async issue(
    serverId: string,
    cond: { expectedOwnerId?: string; expectedJti?: string },
  ): Promise<IssuedEnrollment | null> {
    const ttl = await this.ttlSeconds();
    const jti = randomUUID();
    const now = this.clock.now();
    const jwt = await this.keys.sign(
      {
        token_use: 'enrollment',
        type: 'enrollment',
        server_id: serverId,
        hub_base_url: this.cfg.http.publicUrl,
        kid: this.keys.currentKid(),
      },
      { audience: 'server', subject: serverId, ttlSeconds: ttl, jti },
    );
    const expiresAt = this.clock.nowSeconds() + ttl;
    if (!(await this.servers.replaceEnrollment(serverId, { jti, expiresAt: expiresAt * 1000, now }, cond))) return null;
    return {
      enrollment_jwt: jwt,
      expires_at: expiresAt,
      expires_in: ttl,
      server_id: serverId,
      hub_base_url: this.cfg.http.publicUrl,
      hub_jwks_url: `${this.cfg.http.publicUrl}/.well-known/jwks.json`,
    };
  }

  /** POST /servers/{id}/renew: rotate — the presented token stops working, the new one is returned. */
  async renew(auth: AuthServer, ip: string | null = null): Promise<IssuedEnrollment> {
    const r = await this.issue(auth.serverId, { expectedJti: auth.jti });
    if (!r) throw new HubError('auth.invalid_token', 'The enrollment token is no longer valid');
    await this.events.emit('server.enrollment_changed', { serverId: auth.serverId });
    await this.audit.record({
      action: 'server.enrollment_renewed',
      actorType: 'server',
      actorId: auth.serverId,
      targetType: 'server',
      targetId: auth.serverId,
      ip,
      details: { expires_at: r.expires_at },
    });
    return r;
  }

  /** Revoke without releasing (e.g. the owner re-pairs the server: the new enrollment comes by poll). */
  async revoke(serverId: string): Promise<void> {
    await this.servers.clearEnrollment(serverId, this.clock.now());
  }

  /**
   * The server verifier: signature/aud/exp (expired → 401 auth.enrollment_expired), the server
   * exists, is claimed, and the token is its current enrollment. On /api/v1/servers/{id}/… routes
   * the path id must be the token's server: unknown id → 404, another server → 403.
   */
  async verify(token: string, req?: FastifyRequest): Promise<AuthServer> {
    const payload = await this.keys.verify(token, {
      audience: 'server',
      tokenUse: 'enrollment',
      expiredCode: 'auth.enrollment_expired',
    });
    const serverId = payload.sub!;
    const bad = () => new HubError('auth.invalid_token', 'The enrollment token is invalid or was revoked');
    if (payload.server_id !== undefined && payload.server_id !== serverId) throw bad();
    const s = isUuid(serverId) ? await this.servers.findById(serverId) : null;
    if (!s || !s.ownerId || !s.enrollmentJti || s.enrollmentJti !== payload.jti) throw bad();
    if (await this.ownerDisabled(s.ownerId)) {
      throw new HubError('server.owner_disabled', "This server's owner account is disabled");
    }
    const pathId = req ? this.pathServerId(req) : undefined;
    if (pathId !== undefined && pathId.toLowerCase() !== serverId) {
      const other = isUuid(pathId) ? await this.servers.findById(pathId.toLowerCase()) : null;
      if (!other) throw new HubError('server.not_found', 'No such server');
      throw new HubError('auth.server_mismatch', 'This token belongs to another server');
    }
    return { serverId, jti: payload.jti! };
  }

  /** Renew, heartbeat and tunnel HELLO of a disabled owner's server are refused (403, not 401: the enrollment stays valid). */
  private async ownerDisabled(ownerId: string): Promise<boolean> {
    return !!(await this.users.findById(ownerId))?.disabled;
  }

  private pathServerId(req: FastifyRequest): string | undefined {
    const url = (req as { routeOptions?: { url?: string } }).routeOptions?.url ?? '';
    const params = (req as { params?: Record<string, unknown> }).params;
    if (!/^\/api\/v1\/servers\/:/.test(url) || !params) return undefined;
    const name = /^\/api\/v1\/servers\/:([A-Za-z_]+)/.exec(url)?.[1];
    const v = name ? params[name] : undefined;
    return typeof v === 'string' ? v : undefined;
  }
}
