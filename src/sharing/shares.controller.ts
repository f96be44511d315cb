import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { uuidPipe } from '../common/pipes.js';
import { SharesService } from './shares.service.js';
import { CreateShareDto, PatchShareDto } from './dto/shares.dto.js';
import { ShareDto, ShareListDto } from './dto/sharing-responses.dto.js';

/** Direct shares. Creating/changing/revoking is for the server's owner (never a linked account from another hub). */
@ApiTags('sharing')
@Controller('api/v1/me/shares')
export class SharesController {
  constructor(private readonly svc: SharesService) {}

  @ApiCreatedResponse({ type: ShareDto })
  @UserAuth({ localOnly: true })
  @Post()
  @HttpCode(201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateShareDto, @ClientIp() ip: string): Promise<ShareDto> {
    return this.svc.create(me, dto, ip);
  }

  @ApiOkResponse({ type: ShareListDto })
  @UserAuth()
  @Get()
  list(@CurrentUser() me: AuthUser): Promise<ShareListDto> {
    return this.svc.list(me);
  }

  @ApiOkResponse({ type: ShareDto })
  @UserAuth({ localOnly: true })
  @Patch(':id')
  patch(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('share.not_found')) id: string,
    @Body() dto: PatchShareDto,
    @ClientIp() ip: string,
  ): Promise<ShareDto> {
    return this.svc.patch(me, id, dto, ip);
  }

  @ApiNoContentResponse({ description: 'The share is revoked' })
  @UserAuth({ localOnly: true })
  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('share.not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.svc.revoke(me, id, ip);
  }
}
