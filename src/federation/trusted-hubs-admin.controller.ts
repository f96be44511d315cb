import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentUser } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { uuidPipe } from '../common/pipes.js';
import { TrustedHubsService } from './trusted-hubs.service.js';
import { CreateTrustedHubDto, PatchTrustedHubDto } from './dto/trusted-hubs-admin.dto.js';
import { TrustedHubDto, TrustedHubListDto } from './dto/federation-responses.dto.js';

/** Explicit trust in peer hubs for manual account linking (no automatic peering). */
@ApiTags('admin', 'federation')
@Controller('api/v1/admin/trusted-hubs')
export class AdminTrustedHubsController {
  constructor(private readonly svc: TrustedHubsService) {}

  @ApiOkResponse({ type: TrustedHubListDto })
  @AdminAuth()
  @Get()
  list(): Promise<TrustedHubListDto> {
    return this.svc.list();
  }

  @ApiCreatedResponse({ type: TrustedHubDto })
  @AdminAuth()
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Trust a peer hub: accept identity tokens signed by its keys' })
  create(
    @CurrentUser() me: AuthUser,
    @Body() dto: CreateTrustedHubDto,
    @ClientIp() ip: string,
  ): Promise<TrustedHubDto> {
    return this.svc.create({ actorType: 'admin', actorId: me.id, ip }, dto);
  }

  @ApiOkResponse({ type: TrustedHubDto })
  @AdminAuth()
  @Get(':id')
  get(@Param('id', uuidPipe('federation.peer_not_found')) id: string): Promise<TrustedHubDto> {
    return this.svc.get(id);
  }

  @ApiOkResponse({ type: TrustedHubDto })
  @AdminAuth()
  @Patch(':id')
  @ApiOperation({ summary: 'Update a peer (name, url, keys) or block / unblock it' })
  patch(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('federation.peer_not_found')) id: string,
    @Body() dto: PatchTrustedHubDto,
    @ClientIp() ip: string,
  ): Promise<TrustedHubDto> {
    return this.svc.update({ actorType: 'admin', actorId: me.id, ip }, id, dto);
  }

  @ApiNoContentResponse({ description: 'The peer is no longer trusted' })
  @AdminAuth()
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove trust: the peer's linked users are refused from their next request" })
  async remove(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('federation.peer_not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.svc.remove({ actorType: 'admin', actorId: me.id, ip }, id);
  }
}
