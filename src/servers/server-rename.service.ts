import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { AuditService } from '../audit/audit.service.js';
import { ServersRepository } from './servers.repository.js';
import { ServersService } from './servers.service.js';
import type { ServerInfoDto } from './dto/server-responses.dto.js';

/** The owner renames a server. The name lasts until the server pairs again (a claim carries its own name). */
@Injectable()
export class ServerRenameService {
  constructor(
    private readonly repo: ServersRepository,
    private readonly servers: ServersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async rename(userId: string, serverId: string, rawName: string, ip: string): Promise<ServerInfoDto> {
    const name = rawName.trim();
    if (!name) {
      throw new HubError('request.validation_failed', 'name must not be blank', undefined, {}, [
        { field: 'name', message: 'name must not be blank' },
      ]);
    }
    const s = await this.servers.getOwned(userId, serverId);
    if (s.name !== name) {
      if (!(await this.repo.renameIfOwner(s.id, userId, name, this.clock.now()))) {
        throw new HubError('server.not_found', 'No such server');
      }
      await this.audit.record({
        action: 'server.renamed',
        actorId: userId,
        targetType: 'server',
        targetId: s.id,
        ip,
        details: { from: s.name, to: name },
      });
    }
    return this.servers.info(await this.servers.getOwned(userId, serverId));
  }
}
