import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth.decorators.js';
import { RelayPresence } from '../common/relay-presence.js';
import { UsersService } from '../users/users.service.js';
import { ServersRepository } from './servers.repository.js';
import { ServerReleaseService } from './release.service.js';
import { isoOrNull } from './server-views.js';
import { parseJsonList } from './wire/payload.js';
import type { Server } from './entities/server.entity.js';
import type { ListServersQuery } from './dto/servers-admin.dto.js';

/** Operators' view of every server, and release (removes the hub association only). */
@Injectable()
export class AdminServersService {
  constructor(
    private readonly servers: ServersRepository,
    private readonly release: ServerReleaseService,
    private readonly users: UsersService,
    private readonly relay: RelayPresence,
  ) {}

  async list(q: ListServersQuery) {
    return this.servers.adminPage(q, async (rows) => {
      const ownerIds = [...new Set(rows.map((s) => s.ownerId).filter((x): x is string => !!x))];
      const owners = ownerIds.length ? await this.users.findByIds(ownerIds) : [];
      const byId = new Map(owners.map((u) => [u.id, u]));
      return rows.map((s) => this.view(s, s.ownerId ? byId.get(s.ownerId) : undefined));
    });
  }

  private view(s: Server, owner?: { id: string; username: string; displayName: string }) {
    return {
      id: s.id,
      name: s.name,
      version: s.version,
      status: s.ownerId ? s.status : 'released',
      owner: owner ? { id: owner.id, username: owner.username, display_name: owner.displayName } : null,
      owner_id: s.ownerId,
      hostname_candidates: parseJsonList(s.hostnameCandidates),
      relay_active: this.relay.isActive(s.id),
      library_count: s.libraryCount ?? null,
      subdomain: s.subdomain ?? null,
      last_seen_at: isoOrNull(s.lastSeenAt),
      enrolled_at: isoOrNull(s.enrolledAt),
      enrollment_expires_at: isoOrNull(s.enrollmentExpiresAt),
      released_at: isoOrNull(s.releasedAt),
      created_at: isoOrNull(s.createdAt),
    };
  }

  releaseServer(actor: AuthUser, id: string, ip: string) {
    return this.release.release(id, { reason: 'released' }, { actorType: 'admin', actorId: actor.id, ip });
  }
}
