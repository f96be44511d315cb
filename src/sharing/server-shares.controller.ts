import type { AuthServer } from '../common/auth.decorators.js';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentServer, ServerAuth } from '../common/auth.decorators.js';
import { HubError } from '../common/hub-error.js';
import { uuidPipe } from '../common/pipes.js';
import { Clock } from '../common/clock.js';
import { SharingStore } from './sharing-store.js';
import { SharesRepository } from './shares.repository.js';
import { ServersRepository } from '../servers/servers.repository.js';
import { iso } from './permissions.js';
import { ServerGrantsDto } from './dto/sharing-responses.dto.js';

/** A media server fetches its current grants (enrollment JWT) to enforce library scope itself. */
@ApiTags('sharing')
@Controller('api/v1/servers')
export class ServerSharesController {
  constructor(
    private readonly store: SharingStore,
    private readonly shares: SharesRepository,
    private readonly servers: ServersRepository,
    private readonly clock: Clock,
  ) {}

  @ApiOkResponse({ type: ServerGrantsDto })
  @ServerAuth()
  @Get(':id/shares')
  async list(
    @CurrentServer() srv: AuthServer,
    @Param('id', uuidPipe('server.not_found')) id: string,
  ): Promise<ServerGrantsDto> {
    if (srv.serverId !== id) throw new HubError('auth.server_mismatch', 'This token belongs to another server');
    const server = await this.servers.findById(id);
    if (!server || !server.ownerId) throw new HubError('server.not_found', 'No such server');
    const rows = await this.shares.liveOfServer(id);
    const ctx = await this.store.context([{ serverId: id, ownerId: server.ownerId }, ...rows]);
    return {
      server_id: id,
      generated_at: iso(this.clock.now()),
      owner: this.store.person(ctx, server.ownerId),
      shares: rows.map((sh) => {
        const u = ctx.users.get(sh.granteeId);
        return {
          id: sh.id,
          user_id: sh.granteeId,
          username: u?.username ?? null,
          display_name: u?.displayName ?? null,
          library_id: sh.libraryId,
          library_name: this.store.libraryName(ctx, id, sh.libraryId, sh.libraryName),
          permission: sh.permission,
          expires_at: iso(sh.expiresAt),
        };
      }),
    };
  }
}
