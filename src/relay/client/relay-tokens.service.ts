import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { HubError } from '../../common/hub-error.js';
import { RateLimitService } from '../../common/rate-limit.service.js';
import { AuditService } from '../../audit/audit.service.js';
import { AccessService } from '../../sharing/access.service.js';
import type { RelayClientToken } from '../entities/relay-client-token.entity.js';
import { RelayTokensRepository } from './relay-tokens.repository.js';
import { sha256Hex } from '../../common/sha256.js';

/** Prefix of client relay tokens (the rest: 32 random bytes, base64url = 256 bits). */
export const RELAY_TOKEN_PREFIX = 'phr_';
export const CLIENT_PATH_PREFIX = '/api/v1/relay/client/';
/** Tokens a user may mint per hour. */
export const TOKEN_ISSUE_LIMIT = 120;

export interface IssuedRelayToken {
  id: string;
  token: string;
  token_type: 'Bearer';
  server_id: string;
  expires_at: string;
  expires_in: number;
  ws_url: string;
}

export interface TokenIdentity {
  tokenId: string;
  userId: string;
  role: 'owner' | 'grantee';
}

/**
 * Client relay tokens: opaque bearer secrets for raw client channels
 * (`/api/v1/relay/client/{server_id}`), scoped to one (user, server), valid HUB_RELAY_CLIENT_TOKEN_TTL
 * (1 h), stored as SHA-256, revocable. Never the server's enrollment JWT, never a query parameter.
 *
 * Who may hold one: the owner; a grantee only where the owner allowed raw channels on a live
 * share of the WHOLE server with `download` (allow_raw_channels) — a raw channel carries bytes the
 * hub cannot judge per path, so anything narrower is refused (403 relay.access_denied). A
 * grantee's channel carries read requests only (grantee-channel-filter.ts).
 */
@Injectable()
export class RelayTokensService {
  private readonly log = new Logger('RelayTokens');
  private lastPrune = 0;

  constructor(
    private readonly repo: RelayTokensRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly rateLimit: RateLimitService,
    private readonly audit: AuditService,
  ) {}

  /** Owner, or a grantee the owner allowed raw channels; else 404 (no relation) / 403. */
  async assertChannelAccess(userId: string, serverId: string): Promise<'owner' | 'grantee'> {
    const d = await this.access.decide(userId, serverId, null, 'browse');
    if (d.role === null) throw new HubError('server.not_found', 'No such server');
    if (d.role === 'grantee' && !(await this.access.rawChannelsGranted(userId, serverId))) {
      throw new HubError(
        'relay.access_denied',
        "Raw relay channels are the owner's, unless the owner allows them on a share of the whole server with download permission",
      );
    }
    return d.role;
  }

  async issue(userId: string, serverId: string, ip: string): Promise<IssuedRelayToken> {
    await this.assertChannelAccess(userId, serverId);
    await this.rateLimit.consume(`relay_token:${userId}`, TOKEN_ISSUE_LIMIT, 3600, 'relay.rate_limited');
    const secret = RELAY_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const ttl = this.cfg.relay.clientTokenTtlSeconds;
    const row: RelayClientToken = {
      id: randomUUID(),
      tokenHash: sha256Hex(secret),
      userId,
      serverId,
      createdAt: now,
      expiresAt: now + ttl * 1000,
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.repo.insert(row);
    await this.audit.record({
      action: 'relay.client_token.created',
      actorId: userId,
      targetType: 'relay_token',
      targetId: row.id,
      ip,
      details: { server_id: serverId, ttl_seconds: ttl },
    });
    void this.prune(now);
    return {
      id: row.id,
      token: secret,
      token_type: 'Bearer',
      server_id: serverId,
      expires_at: new Date(row.expiresAt).toISOString(),
      expires_in: ttl,
      ws_url: `${this.cfg.http.publicUrl.replace(/^http/, 'ws')}${CLIENT_PATH_PREFIX}${serverId}`,
    };
  }

  /** The user's tokens that still work (optionally of one server); never the secret. */
  async list(userId: string, serverId?: string) {
    const rows = await this.repo.live(userId, this.clock.now(), serverId);
    return {
      tokens: rows.map((r) => ({
        id: r.id,
        server_id: r.serverId,
        created_at: new Date(r.createdAt).toISOString(),
        expires_at: new Date(r.expiresAt).toISOString(),
        last_used_at: r.lastUsedAt === null ? null : new Date(r.lastUsedAt).toISOString(),
      })),
    };
  }

  /** Revoke one of the user's own tokens (404 for anyone else's). */
  async revoke(userId: string, id: string, ip: string): Promise<void> {
    if (!(await this.repo.revokeOwn(userId, id, this.clock.now()))) {
      throw new HubError('relay.token_not_found', 'No such relay token');
    }
    await this.audit.record({
      action: 'relay.client_token.revoked',
      actorId: userId,
      targetType: 'relay_token',
      targetId: id,
      ip,
    });
  }

  /** Revoke every live token the user holds for a server; returns their ids. */
  async revokeForServer(userId: string, serverId: string, ip: string): Promise<string[]> {
    const ids = await this.repo.revokeForServer(userId, serverId, this.clock.now());
    if (!ids.length) return [];
    await this.audit.record({
      action: 'relay.client_token.revoked',
      actorId: userId,
      targetType: 'server',
      targetId: serverId,
      ip,
      details: { count: ids.length },
    });
    return ids;
  }

  /**
   * Check a presented secret for a channel to `serverId`: known, not revoked or expired, scoped
   * to that server, its user still enabled and still allowed. null = refuse (one answer for all).
   */
  async authenticate(secret: string, serverId: string): Promise<TokenIdentity | null> {
    if (!secret.startsWith(RELAY_TOKEN_PREFIX) || secret.length > 100) return null;
    const row = await this.repo.byHash(sha256Hex(secret));
    const now = this.clock.now();
    if (!row || row.revokedAt !== null || row.expiresAt <= now || row.serverId !== serverId) return null;
    let role: 'owner' | 'grantee';
    try {
      role = await this.assertChannelAccess(row.userId, serverId); // also refuses disabled / deleted users
    } catch {
      return null;
    }
    await this.repo.used(row.id, now);
    return { tokenId: row.id, userId: row.userId, role };
  }

  /** Drop expired (by a day) or revoked tokens, bounded, at most once a minute. */
  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < 60_000 && now >= this.lastPrune) return;
    this.lastPrune = now;
    try {
      await this.repo.prune(now - 86_400_000);
    } catch (e) {
      this.log.error(`relay token prune failed: ${(e as Error).message}`);
    }
  }
}
