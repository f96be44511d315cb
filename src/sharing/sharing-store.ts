import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { RelayPresence } from '../common/relay-presence.js';
import { relayUrlOf } from '../common/relay-url.js';
import { HubConfig } from '../config/config.js';
import { HubError } from '../common/hub-error.js';
import type { Server } from '../servers/entities/server.entity.js';
import { ServersRepository } from '../servers/servers.repository.js';
import { LibrariesRepository } from '../servers/libraries.repository.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { LibraryShare } from './entities/library-share.entity.js';
import type { InviteLink } from './entities/invite-link.entity.js';
import { SharesRepository } from './shares.repository.js';
import { iso } from './permissions.js';
import { shareView, type PersonView } from './share-view.js';
import type { InviteDto } from './dto/sharing-responses.dto.js';

/** Names needed to render shares and invites (one query per table, never N+1). */
export interface ViewContext {
  servers: Map<string, Server>;
  users: Map<string, User>;
  libraries: Map<string, string>;
}

const libKey = (serverId: string, libraryId: string) => `${serverId}\n${libraryId}`;

/**
 * What the sharing services share: the owner-only server check, library lookups, the names a
 * view needs (read from servers and users, never N+1) and the views the API answers with.
 */
@Injectable()
export class SharingStore {
  constructor(
    private readonly shares: SharesRepository,
    private readonly servers: ServersRepository,
    private readonly libraries: LibrariesRepository,
    private readonly users: UsersService,
    private readonly presence: RelayPresence,
    private readonly clock: Clock,
    private readonly cfg: HubConfig,
  ) {}

  /** What an app needs to reach a share's server: is it connected to the hub, and its relay URL. */
  reach(serverId: string): { server_online: boolean; relay_url: string } {
    return {
      server_online: this.presence.isActive(serverId),
      relay_url: relayUrlOf(this.cfg.http.publicUrl, serverId),
    };
  }

  /** The server if `userId` owns it; otherwise 404 server.not_found, or 403 share.not_owner for a grantee (no re-sharing). */
  async ownedServer(userId: string, serverId: string): Promise<Server> {
    const s = await this.servers.findById(serverId);
    if (s && s.ownerId && s.ownerId === userId) return s;
    if (s && s.ownerId) {
      if (await this.shares.hasLive(serverId, userId)) {
        throw new HubError('share.not_owner', "Only the server's owner can share it; recipients cannot re-share");
      }
    }
    throw new HubError('server.not_found', 'No such server');
  }

  /** Resolve a library id of the server (null = whole server); unknown → 404 share.library_not_found. */
  async library(
    serverId: string,
    libraryId: string | null | undefined,
  ): Promise<{ libraryId: string | null; libraryName: string | null }> {
    if (libraryId === null || libraryId === undefined) return { libraryId: null, libraryName: null };
    const lib = await this.libraries.find(serverId, libraryId);
    if (!lib) throw new HubError('share.library_not_found', 'That server has no such library');
    return { libraryId: lib.libraryId, libraryName: lib.libraryName };
  }

  async context(rows: { serverId: string; ownerId: string; granteeId?: string }[]): Promise<ViewContext> {
    const serverIds = [...new Set(rows.map((r) => r.serverId))];
    const userIds = [...new Set(rows.flatMap((r) => (r.granteeId ? [r.ownerId, r.granteeId] : [r.ownerId])))];
    const [servers, users, libs] = await Promise.all([
      serverIds.length ? this.servers.findByIds(serverIds) : [],
      this.users.findByIds(userIds),
      serverIds.length ? this.libraries.ofServers(serverIds, false) : [],
    ]);
    return {
      servers: new Map(servers.map((s) => [s.id, s])),
      users: new Map(users.map((u) => [u.id, u])),
      libraries: new Map(libs.map((l) => [libKey(l.serverId, l.libraryId), l.libraryName])),
    };
  }

  person(ctx: ViewContext, id: string): PersonView {
    const u = ctx.users.get(id);
    return { id, username: u?.username ?? null, display_name: u?.displayName ?? null };
  }

  libraryName(ctx: ViewContext, serverId: string, libraryId: string | null, snapshot: string | null): string | null {
    if (libraryId === null) return null;
    return ctx.libraries.get(libKey(serverId, libraryId)) ?? snapshot;
  }

  shareStatus(sh: LibraryShare, ctx: ViewContext, now = this.clock.now()): 'active' | 'expired' | 'revoked' {
    if (sh.revokedAt !== null || ctx.servers.get(sh.serverId)?.ownerId !== sh.ownerId) return 'revoked';
    if (sh.expiresAt !== null && sh.expiresAt <= now) return 'expired';
    return 'active';
  }

  shareView(sh: LibraryShare, ctx: ViewContext) {
    return { ...this.shareFacts(sh, ctx), ...this.reach(sh.serverId) };
  }

  private shareFacts(sh: LibraryShare, ctx: ViewContext) {
    return shareView({
      ...sh,
      serverName: ctx.servers.get(sh.serverId)?.name ?? null,
      libraryName: this.libraryName(ctx, sh.serverId, sh.libraryId, sh.libraryName),
      status: this.shareStatus(sh, ctx),
      owner: this.person(ctx, sh.ownerId),
      grantee: this.person(ctx, sh.granteeId),
    });
  }

  inviteStatus(inv: InviteLink, now = this.clock.now()): 'active' | 'exhausted' | 'expired' | 'revoked' {
    if (inv.revokedAt !== null) return 'revoked';
    if (inv.expiresAt !== null && inv.expiresAt <= now) return 'expired';
    if (inv.useCount >= inv.maxUses) return 'exhausted';
    return 'active';
  }

  /** An invite as its owner (or an admin) sees it: never the token, which is not stored. */
  inviteView(inv: InviteLink, ctx: ViewContext): InviteDto {
    return {
      id: inv.id,
      owner_user_id: inv.ownerId,
      owner: this.person(ctx, inv.ownerId),
      server_id: inv.serverId,
      server_name: ctx.servers.get(inv.serverId)?.name ?? null,
      library_id: inv.libraryId,
      library_name: this.libraryName(ctx, inv.serverId, inv.libraryId, inv.libraryName),
      permission: inv.permission,
      max_uses: inv.maxUses,
      use_count: inv.useCount,
      status: this.inviteStatus(inv),
      expires_at: iso(inv.expiresAt),
      created_at: iso(inv.createdAt),
      url: null,
    };
  }
}
