import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { AuthRegistry } from '../common/auth-registry.js';
import { RelayPresence } from '../common/relay-presence.js';
import { AuditService, type AuditAction } from '../audit/audit.service.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { TrustedHubsRepository } from './trusted-hubs.repository.js';
import { TrustedHub } from './entities/trusted-hub.entity.js';
import { HUB_ID_RE, normaliseJwks } from './jwks.js';
import { isUniqueViolation } from '../database/unique-violation.js';

export interface TrustActor {
  actorType: 'admin' | 'cli';
  actorId?: string | null;
  ip?: string | null;
}

export interface TrustedHubInput {
  hub_id?: string;
  name?: string;
  url?: string;
  jwks?: unknown;
  blocked?: boolean;
}

function httpUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new HubError('request.validation_failed', 'url must be an absolute http(s) URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new HubError('request.validation_failed', 'url must be an http(s) URL');
  }
  return v.replace(/\/+$/, '');
}

/**
 * Explicit trust in peer hubs (the only cross-hub relationship in v1) and the per-request check
 * that stops linked users of a blocked or removed peer.
 */
@Injectable()
export class TrustedHubsService implements OnModuleInit {
  constructor(
    private readonly repo: TrustedHubsRepository,
    private readonly users: UsersService,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly registry: AuthRegistry,
    private readonly relay: RelayPresence,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.registry.addUserCheck((u) => this.checkLinkedUser(u));
  }

  /**
   * Runs on every authenticated request, login and refresh. Local users cost nothing; linked users
   * cost one lookup by the unique hub_id index (no cache, so a block by any process applies at once).
   */
  async checkLinkedUser(user: Pick<User, 'linkedHubId'>): Promise<void> {
    if (!user.linkedHubId) return;
    const peer = await this.repo.findStatusByHubId(user.linkedHubId);
    if (!peer || peer.blocked) {
      throw new HubError('federation.peer_blocked', 'This hub no longer accepts accounts linked from your home hub');
    }
  }

  findByHubId(hubId: string): Promise<TrustedHub | null> {
    return this.repo.findByHubId(hubId);
  }

  async list() {
    const rows = await this.repo.findAllOldestFirst();
    const counts = await this.linkedCounts();
    return { items: rows.map((r) => this.view(r, counts.get(r.hubId) ?? 0)) };
  }

  async get(id: string) {
    const r = await this.getRow(id);
    return this.view(r, await this.linkedCount(r.hubId));
  }

  async create(actor: TrustActor, input: TrustedHubInput) {
    const hubId = String(input.hub_id ?? '');
    if (!HUB_ID_RE.test(hubId)) {
      throw new HubError('request.validation_failed', 'hub_id may use letters, digits and . _ : - (1–128 characters)');
    }
    if (hubId === this.cfg.hub.id) {
      throw new HubError('request.validation_failed', "hub_id is this hub's own id; a hub cannot trust itself");
    }
    const name = String(input.name ?? '').trim();
    if (!name || name.length > 200) {
      throw new HubError('request.validation_failed', 'name is required (1–200 characters)');
    }
    const url = httpUrl(String(input.url ?? ''));
    const jwks = await normaliseJwks(input.jwks);
    if (await this.repo.existsHubId(hubId)) {
      throw new HubError('federation.peer_exists', `Hub "${hubId}" is already in the trusted list`);
    }
    const now = this.clock.now();
    const row = this.repo.build({
      id: randomUUID(),
      hubId,
      name,
      url,
      jwks: JSON.stringify(jwks),
      blocked: !!input.blocked,
      blockedAt: input.blocked ? now : null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.repo.insert(row);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new HubError('federation.peer_exists', `Hub "${hubId}" is already in the trusted list`);
      }
      throw e;
    }
    await this.record(actor, 'federation.peer_trusted', row, {
      hub_id: hubId,
      kids: jwks.keys.map((k) => k.kid),
      blocked: row.blocked,
    });
    return this.view(row, await this.linkedCount(hubId));
  }

  async update(actor: TrustActor, id: string, input: TrustedHubInput) {
    const row = await this.getRow(id);
    if (input.hub_id !== undefined && input.hub_id !== row.hubId) {
      throw new HubError('request.validation_failed', 'hub_id cannot change; remove the peer and add it again');
    }
    const patch: Partial<TrustedHub> = {};
    if (input.name !== undefined) {
      const name = String(input.name).trim();
      if (!name || name.length > 200) throw new HubError('request.validation_failed', 'name must be 1–200 characters');
      patch.name = name;
    }
    if (input.url !== undefined) patch.url = httpUrl(String(input.url));
    if (input.jwks !== undefined) patch.jwks = JSON.stringify(await normaliseJwks(input.jwks));
    const blocking = input.blocked === true && !row.blocked;
    if (input.blocked !== undefined && input.blocked !== row.blocked) {
      patch.blocked = input.blocked;
      patch.blockedAt = input.blocked ? this.clock.now() : null;
    }
    patch.updatedAt = this.clock.now();
    await this.repo.update(id, patch);
    const after = await this.getRow(id);
    const action = blocking
      ? 'federation.peer_blocked'
      : input.blocked === false && row.blocked
        ? 'federation.peer_unblocked'
        : 'federation.peer_updated';
    await this.record(actor, action, after, { hub_id: after.hubId, fields: Object.keys(input) });
    if (blocking) await this.stopLinkedUsers(after.hubId);
    return this.view(after, await this.linkedCount(after.hubId));
  }

  async remove(actor: TrustActor, id: string): Promise<void> {
    const row = await this.getRow(id);
    await this.repo.delete(id);
    await this.record(actor, 'federation.peer_removed', row, { hub_id: row.hubId });
    await this.stopLinkedUsers(row.hubId);
  }

  /** Sessions fail at the next request (user check); live relay streams of the peer's users end now. */
  private async stopLinkedUsers(hubId: string): Promise<void> {
    for (const id of await this.users.idsLinkedTo(hubId)) await this.relay.endUserStreams(id);
  }

  private async getRow(id: string): Promise<TrustedHub> {
    const r = await this.repo.findById(id);
    if (!r) throw new HubError('federation.peer_not_found', 'No such trusted hub');
    return r;
  }

  private async linkedCount(hubId: string): Promise<number> {
    return this.users.countLinkedTo(hubId);
  }

  private linkedCounts(): Promise<Map<string, number>> {
    return this.users.countLinkedByHub();
  }

  private async record(
    actor: TrustActor,
    action: AuditAction,
    row: TrustedHub,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({
      action,
      actorType: actor.actorType,
      actorId: actor.actorId ?? null,
      targetType: 'trusted_hub',
      targetId: row.id,
      ip: actor.ip ?? null,
      details,
    });
  }

  view(r: TrustedHub, linkedUsers: number) {
    const jwks = JSON.parse(r.jwks) as { keys: { kid: string }[] };
    return {
      id: r.id,
      hub_id: r.hubId,
      name: r.name,
      url: r.url,
      blocked: !!r.blocked,
      blocked_at: r.blockedAt ? new Date(r.blockedAt).toISOString() : null,
      jwks,
      key_ids: jwks.keys.map((k) => k.kid),
      linked_users: linkedUsers,
      created_at: new Date(r.createdAt).toISOString(),
      updated_at: new Date(r.updatedAt).toISOString(),
    };
  }
}
