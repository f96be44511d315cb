import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { HubEvents } from '../common/hub-events.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../common/auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { LibraryShare, ShareSource } from './entities/library-share.entity.js';
import { SharesRepository } from './shares.repository.js';
import { liveShareView } from './share-list-view.js';
import { SharingStore } from './sharing-store.js';
import { CreateShareDto, PatchShareDto } from './dto/shares.dto.js';
import { iso, Permission, scopeKey } from './permissions.js';
import { isUniqueViolation } from '../database/unique-violation.js';

export interface NewShare {
  ownerId: string;
  granteeId: string;
  serverId: string;
  libraryId: string | null;
  libraryName: string | null;
  permission: Permission;
  source: ShareSource;
  inviteId: string | null;
  expiresAt: number | null;
  allowRawChannels?: boolean;
}

/** Raw client channels can be granted only where they cannot exceed the share: the whole server, with download. */
function assertRawScope(allow: boolean, libraryId: string | null, permission: Permission): void {
  if (allow && !(libraryId === null && permission === 'download')) {
    throw new HubError(
      'share.raw_channels_scope',
      'Raw client channels can be allowed only on a share of the whole server with download permission',
    );
  }
}

/** Direct shares: create, list, change, revoke — and the one way any share ends. */
@Injectable()
export class SharesService {
  constructor(
    private readonly store: SharingStore,
    private readonly shares: SharesRepository,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly events: HubEvents,
    private readonly audit: AuditService,
    private readonly rate: RateLimitService,
  ) {}

  async create(me: AuthUser, dto: CreateShareDto, ip: string) {
    if (!dto.username === !dto.email) {
      throw new HubError('request.validation_failed', 'Give exactly one of username or email');
    }
    const expiresAt = this.futureDate(dto.expires_at);
    await this.rate.consume(`share.create:${me.id}`, 120, 600);
    const server = await this.store.ownedServer(me.id, dto.server_id);
    const lib = await this.store.library(server.id, dto.library_id);
    const grantee = await this.recipient(dto);
    if (grantee.id === me.id) throw new HubError('share.self', 'You cannot share with yourself');
    const allowRawChannels = dto.allow_raw_channels === true;
    assertRawScope(allowRawChannels, lib.libraryId, dto.permission);
    const sh = await this.insert({
      ownerId: me.id,
      granteeId: grantee.id,
      serverId: server.id,
      ...lib,
      permission: dto.permission,
      source: 'direct',
      inviteId: null,
      expiresAt,
      allowRawChannels,
    });
    await this.audit.record({
      action: 'share.created',
      actorId: me.id,
      targetType: 'share',
      targetId: sh.id,
      ip,
      details: {
        server_id: sh.serverId,
        library_id: sh.libraryId,
        grantee_id: sh.granteeId,
        permission: sh.permission,
        expires_at: iso(sh.expiresAt),
      },
    });
    return this.view(sh);
  }

  async list(me: AuthUser) {
    const [outgoing, incoming] = await Promise.all([
      this.shares.liveRows('owner', me.id),
      this.shares.liveRows('grantee', me.id),
    ]);
    // what an app needs to reach the server: is it connected, and where its relay is
    const reach = <T extends { server_id: string }>(v: T) => ({ ...v, ...this.store.reach(v.server_id) });
    return {
      outgoing: outgoing.map((r) => reach(liveShareView(r))),
      incoming: incoming.map((r) => reach(liveShareView(r))),
    };
  }

  async patch(me: AuthUser, id: string, dto: PatchShareDto, ip: string) {
    if (dto.permission === undefined && dto.expires_at === undefined && dto.allow_raw_channels === undefined) {
      throw new HubError(
        'request.validation_failed',
        'Nothing to change: give permission, expires_at and/or allow_raw_channels',
      );
    }
    const expiresAt = dto.expires_at === undefined ? undefined : this.futureDate(dto.expires_at);
    const sh = await this.ownShare(me, id);
    const set: Partial<LibraryShare> = { updatedAt: this.clock.now() };
    if (dto.permission !== undefined) set.permission = dto.permission;
    if (expiresAt !== undefined) set.expiresAt = expiresAt;
    const permission = dto.permission ?? sh.permission;
    if (dto.allow_raw_channels !== undefined) {
      assertRawScope(dto.allow_raw_channels, sh.libraryId, permission);
      set.allowRawChannels = dto.allow_raw_channels;
    } else if (sh.allowRawChannels && permission !== 'download') {
      set.allowRawChannels = false;
    } // a downgrade ends the channel grant
    if (!(await this.shares.updateUnrevoked(id, set))) throw new HubError('share.not_found', 'No such share');
    await this.events.emit('share.changed', { serverId: sh.serverId, granteeId: sh.granteeId });
    await this.audit.record({
      action: 'share.updated',
      actorId: me.id,
      targetType: 'share',
      targetId: id,
      ip,
      details: {
        from: sh.permission,
        permission: dto.permission,
        expires_at: expiresAt === undefined ? undefined : iso(expiresAt),
        allow_raw_channels: set.allowRawChannels,
      },
    });
    return this.view((await this.shares.findById(id))!);
  }

  async revoke(me: AuthUser, id: string, ip: string): Promise<void> {
    const sh = await this.ownShare(me, id);
    await this.end([sh], 'owner_revoked');
    await this.audit.record({
      action: 'share.revoked',
      actorId: me.id,
      targetType: 'share',
      targetId: id,
      ip,
      details: { server_id: sh.serverId, grantee_id: sh.granteeId },
    });
  }

  /**
   * Insert a live share. The unique active_key makes "one live share per (server, grantee, library)"
   * hold under concurrency; a slot still held by an expired share (or one whose server changed hands) is freed first.
   */
  async insert(n: NewShare): Promise<LibraryShare> {
    const now = this.clock.now();
    const key = scopeKey(n.serverId, n.granteeId, n.libraryId);
    await this.shares.freeStaleSlot(key, n.ownerId, now);
    const sh: LibraryShare = Object.assign(new LibraryShare(), {
      id: randomUUID(),
      ...n,
      allowRawChannels: n.allowRawChannels ?? false,
      activeKey: key,
      revokedAt: null,
      revokeReason: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.shares.insert(sh);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new HubError('share.exists', 'That user already has a share of this library (change it with PATCH)');
      }
      throw e;
    }
    return sh;
  }

  /** End shares now (soft: revoked_at set, slot freed) and tell the relay to re-check the grantees' streams. */
  async end(shares: LibraryShare[], reason: string): Promise<number> {
    if (!shares.length) return 0;
    const ended = await this.shares.end(
      shares.map((s) => s.id),
      reason,
      this.clock.now(),
    );
    await this.changed(shares);
    return ended;
  }

  /** Emit share.changed once per (server, grantee). */
  async changed(shares: Pick<LibraryShare, 'serverId' | 'granteeId'>[]): Promise<void> {
    const seen = new Set<string>();
    for (const s of shares) {
      const k = `${s.serverId}\n${s.granteeId}`;
      if (seen.has(k)) continue;
      seen.add(k);
      await this.events.emit('share.changed', { serverId: s.serverId, granteeId: s.granteeId });
    }
  }

  async view(sh: LibraryShare) {
    return this.store.shareView(sh, await this.store.context([sh]));
  }

  /** A live share the caller owns; a grantee gets 403 (owner-only), anyone else 404. */
  private async ownShare(me: AuthUser, id: string): Promise<LibraryShare> {
    const sh = await this.shares.findLive(id);
    if (sh && sh.ownerId === me.id) return sh;
    if (sh && sh.granteeId === me.id) {
      throw new HubError('share.not_owner', "Only the server's owner can change or revoke this share");
    }
    throw new HubError('share.not_found', 'No such share');
  }

  private async recipient(dto: CreateShareDto): Promise<User> {
    const u = dto.email ? await this.users.findByEmail(dto.email) : await this.users.findByUsername(dto.username!);
    if (!u) {
      throw new HubError(
        'share.user_not_found',
        'No account with that username or email on this hub; shares cannot cross hubs, so the recipient needs an account here',
      );
    }
    return u;
  }

  /** ISO date → epoch ms in the future (null/undefined = never). */
  futureDate(v: string | null | undefined): number | null {
    if (v === undefined || v === null) return null;
    const ms = Date.parse(v);
    if (!Number.isFinite(ms)) throw new HubError('request.validation_failed', 'expires_at must be an ISO-8601 date');
    if (ms <= this.clock.now()) throw new HubError('request.validation_failed', 'expires_at must be in the future');
    return ms;
  }
}
