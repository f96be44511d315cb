import { Injectable } from '@nestjs/common';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { AuditService } from '../../audit/audit.service.js';
import { ServerExportSource } from '../../common/ports/server-export.port.js';
import { UsersService } from '../../users/users.service.js';
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
    private readonly servers: ServerExportSource,
    private readonly users: UsersService,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async exportAll() {
    const rows = await this.servers.claimedServers();
    const owners = new Map<string, string>();
    for (let i = 0; i < rows.length; i += 500) {
      const ownerIds = [...new Set(rows.slice(i, i + 500).map((s) => s.ownerId))];
      for (const u of await this.users.findByIds(ownerIds)) owners.set(u.id, u.username);
    }
    const items = rows.map((s) => ({
      id: s.id,
      name: s.name,
      owner_id: s.ownerId,
      owner_username: owners.get(s.ownerId) ?? null,
      key_thumbprint: s.keyThumbprint,
      version: s.version,
      status: s.status,
      subdomain: s.subdomain,
      hostname_candidates: parseList(s.hostnameCandidates),
      last_seen_at: s.lastSeenAt ? new Date(s.lastSeenAt).toISOString() : null,
      enrolled_at: s.enrolledAt ? new Date(s.enrolledAt).toISOString() : null,
      libraries: s.libraries.map((l) => ({ library_id: l.libraryId, library_name: l.libraryName })),
    }));
    await this.audit.record({
      action: 'cli.servers_exported',
      actorType: 'cli',
      targetType: 'hub',
      targetId: this.cfg.hub.id,
      details: { count: items.length },
    });
    return envelope('servers', this.cfg.hub.id, this.clock.now(), items);
  }
}
