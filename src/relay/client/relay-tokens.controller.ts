import type { AuthUser } from '../../common/auth.decorators.js';
import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CurrentUser, UserAuth } from '../../common/auth.decorators.js';
import { ClientIp } from '../../common/client-ip.js';
import { uuidPipe } from '../../common/pipes.js';
import { RelayTokensService } from './relay-tokens.service.js';
import { ChannelHub } from './channel-hub.js';
import { RelayTokenIssuedDto, RelayTokenListDto, RelayTokensRevokedDto } from './relay-token-responses.dto.js';

export class ListRelayTokensQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') server_id?: string;
}

/**
 * Client relay tokens for raw client channels (`wss://…/api/v1/relay/client/{server_id}`,
 * token in `Authorization: Bearer` or the `bearer` WebSocket subprotocol). Revoking a token
 * also closes the channels opened with it.
 */
@ApiTags('relay')
@Controller('api/v1/me')
export class RelayTokensController {
  constructor(
    private readonly tokens: RelayTokensService,
    private readonly hub: ChannelHub,
  ) {}

  @ApiCreatedResponse({ type: RelayTokenIssuedDto })
  @UserAuth()
  @Post('servers/:id/relay-token')
  @HttpCode(201)
  issue(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @ClientIp() ip: string,
  ): Promise<RelayTokenIssuedDto> {
    return this.tokens.issue(me.id, id, ip);
  }

  @ApiOkResponse({ type: RelayTokensRevokedDto })
  @UserAuth()
  @Delete('servers/:id/relay-token')
  async revokeServer(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @ClientIp() ip: string,
  ): Promise<RelayTokensRevokedDto> {
    const ids = await this.tokens.revokeForServer(me.id, id, ip);
    for (const t of ids) this.hub.closeToken(t, 4401, 'token_revoked');
    return { revoked: ids.length };
  }

  @ApiOkResponse({ type: RelayTokenListDto })
  @UserAuth()
  @Get('relay-tokens')
  list(@CurrentUser() me: AuthUser, @Query() q: ListRelayTokensQuery): Promise<RelayTokenListDto> {
    return this.tokens.list(me.id, q.server_id?.toLowerCase());
  }

  @ApiNoContentResponse({ description: 'The token is revoked and its channels are closed' })
  @UserAuth()
  @Delete('relay-tokens/:id')
  @HttpCode(204)
  async revoke(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('relay.token_not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.tokens.revoke(me.id, id, ip);
    this.hub.closeToken(id, 4401, 'token_revoked');
  }
}
