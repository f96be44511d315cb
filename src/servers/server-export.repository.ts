import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { ServerExportSource, type ClaimedServerRecord } from '../common/ports/server-export.port.js';
import { Server } from './entities/server.entity.js';
import { ServerLibrary } from './entities/server-library.entity.js';

/** The claimed servers and their libraries, read for `server:export`. */
@Injectable()
export class ServerExportRepository extends ServerExportSource {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async claimedServers(): Promise<ClaimedServerRecord[]> {
    const m = this.ds.manager;
    const rows = await m.find(Server, { where: { ownerId: Not(IsNull()) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const libs = new Map<string, ServerLibrary[]>();
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((s) => s.id);
      for (const l of await m.find(ServerLibrary, { where: { serverId: In(chunk) }, order: { libraryName: 'ASC' } })) {
        libs.set(l.serverId, [...(libs.get(l.serverId) ?? []), l]);
      }
    }
    return rows.map((s) => ({
      id: s.id,
      name: s.name,
      ownerId: s.ownerId!,
      keyThumbprint: s.keyThumbprint,
      version: s.version,
      status: s.status,
      subdomain: s.subdomain,
      hostnameCandidates: s.hostnameCandidates,
      lastSeenAt: s.lastSeenAt,
      enrolledAt: s.enrolledAt,
      libraries: (libs.get(s.id) ?? []).map((l) => ({ libraryId: l.libraryId, libraryName: l.libraryName })),
    }));
  }
}
