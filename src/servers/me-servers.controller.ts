import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { HubError } from '../common/hub-error.js';
import { isUuid, uuidPipe } from '../common/pipes.js';
import { ServersService } from './servers.service.js';
import { ServerReleaseService } from './release.service.js';
import { ServerRenameService } from './server-rename.service.js';
import { RenameServerDto } from './dto/rename-server.dto.js';
import { OwnedLibraryListDto, ServerDetailDto, ServerInfoDto, ServerListDto } from './dto/server-responses.dto.js';

/** The signed-in user's servers. Another user's server is always 404 (never revealed). */
@ApiTags('servers')
@Controller('api/v1/me')
export class MeServersController {
  constructor(
    private readonly servers: ServersService,
    private readonly release: ServerReleaseService,
    private readonly renamer: ServerRenameService,
  ) {}

  /** `{servers: [ServerInfoDto…], relay_urls: {id: url}}` — exactly the shared DTO's 10 keys each; relay URLs beside them. */
  @ApiOkResponse({ type: ServerListDto })
  @UserAuth()
  @Get('servers')
  async list(@CurrentUser() u: AuthUser): Promise<ServerListDto> {
    const servers = await this.servers.listOwned(u.id);
    return {
      servers,
      relay_urls: Object.fromEntries(servers.map((s) => [s.serverId, this.servers.relayUrl(s.serverId)])),
    };
  }

  @ApiOkResponse({ type: ServerDetailDto })
  @UserAuth()
  @Get('servers/:id')
  detail(@CurrentUser() u: AuthUser, @Param('id', uuidPipe('server.not_found')) id: string): Promise<ServerDetailDto> {
    return this.servers.detail(u.id, id);
  }

  @ApiOkResponse({ type: ServerInfoDto })
  @UserAuth()
  @Patch('servers/:id')
  rename(
    @CurrentUser() u: AuthUser,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @Body() dto: RenameServerDto,
    @ClientIp() ip: string,
  ): Promise<ServerInfoDto> {
    return this.renamer.rename(u.id, id, dto.name, ip);
  }

  /** Unclaim: enrollment revoked, tunnel closed, shares end. The server's media is untouched. */
  @ApiNoContentResponse({ description: 'Unclaimed: the server is no longer on your account' })
  @UserAuth()
  @Delete('servers/:id')
  @HttpCode(204)
  async unclaim(
    @CurrentUser() u: AuthUser,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.servers.getOwned(u.id, id);
    await this.release.release(
      id,
      { expectedOwnerId: u.id, reason: 'unclaimed' },
      { actorType: 'user', actorId: u.id, ip },
    );
  }

  @ApiOkResponse({ type: OwnedLibraryListDto })
  @UserAuth()
  @Get('libraries')
  libraries(@CurrentUser() u: AuthUser, @Query('server_id') serverId: unknown): Promise<OwnedLibraryListDto> {
    if (serverId !== undefined && (typeof serverId !== 'string' || !isUuid(serverId))) {
      throw new HubError('request.validation_failed', 'server_id must be a server id (UUID)');
    }
    return this.servers.librariesOf(u.id, serverId as string | undefined);
  }
}
