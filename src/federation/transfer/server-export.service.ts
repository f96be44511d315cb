import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, IsNull, Repository } from 'typeorm';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { AuditService } from '../../audit/audit.service.js';
import { Server } from '../../servers/entities/server.entity.js';
import { ServerLibrary } from '../../servers/entities/server-library.entity.js';
import { User } from '../../users/entities/user.entity.js';
import { envelope } from './export-format.js';

function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * `server:export`: the claimed servers and who owns them, for the operator's records. Servers are
 * never imported: each owner re-claims on the new hub (the key thumbprint identifies the server).
 */
@Injectable()
export class ServerExportService {
  constructor(
    @InjectRepository(Server) private readonly servers: Repository<Server>,
    @InjectRepository(ServerLibrary) private readonly libraries: Repository<ServerLibrary>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async exportAll() {
    const rows = await this.servers.find({ where: { ownerId: Not(IsNull()) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const ids = rows.map((s) => s.id);
    const owners = new Map<string, User>();
    const libs = new Map<string, ServerLibrary[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      for (const l of await this.libraries.find({ where: { serverId: In(chunk) }, order: { libraryName: 'ASC' } })) {
        libs.set(l.serverId, [...(libs.get(l.serverId) ?? []), l]);
      }
      const ownerIds = [...new Set(rows.slice(i, i + 500).map((s) => s.ownerId!))];
      for (const u of await this.users.find({ where: { id: In(ownerIds) } })) owners.set(u.id, u);
    }
    const items = rows.map((s) => ({
      id: s.id,
      name: s.name,
      owner_id: s.ownerId,
      owner_username: owners.get(s.ownerId!)?.username ?? null,
      key_thumbprint: s.keyThumbprint,
      version: s.version,
      status: s.status,
      subdomain: s.subdomain,
      hostname_candidates: parseList(s.hostnameCandidates),
      last_seen_at: s.lastSeenAt ? new Date(s.lastSeenAt).toISOString() : null,
      enrolled_at: s.enrolledAt ? new Date(s.enrolledAt).toISOString() : null,
      libraries: (libs.get(s.id) ?? []).map((l) => ({ library_id: l.libraryId, library_name: l.libraryName })),
    }));
    await this.audit.record({ action: 'cli.servers_exported', actorType: 'cli', targetType: 'hub', targetId: this.cfg.hub.id, details: { count: items.length } });
    return envelope('servers', this.cfg.hub.id, this.clock.now(), items);
  }
}
