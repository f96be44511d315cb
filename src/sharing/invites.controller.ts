import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { uuidPipe } from '../common/pipes.js';
import { InvitesService } from './invites.service.js';
import { CreateInviteDto } from './dto/invites.dto.js';
import { InviteCreatedDto, InviteListDto, InvitePreviewDto, ShareDto } from './dto/sharing-responses.dto.js';

@ApiTags('sharing')
@Controller('api/v1')
export class InvitesController {
  constructor(private readonly svc: InvitesService) {}

  /** Create a link; the token is in this answer only. */
  @ApiCreatedResponse({ type: InviteCreatedDto })
  @UserAuth({ localOnly: true })
  @Post('me/invite-links')
  @HttpCode(201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateInviteDto, @ClientIp() ip: string): Promise<InviteCreatedDto> {
    return this.svc.create(me, dto, ip);
  }

  @ApiOkResponse({ type: InviteListDto })
  @UserAuth()
  @Get('me/invite-links')
  list(@CurrentUser() me: AuthUser): Promise<InviteListDto> {
    return this.svc.list(me);
  }

  @ApiNoContentResponse({ description: 'The invite link is revoked' })
  @UserAuth({ localOnly: true })
  @Delete('me/invite-links/:id')
  @HttpCode(204)
  async revoke(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('invite.not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.svc.revoke(me, id, ip);
  }

  /** Public preview: what the link offers (no ids, no secrets). */
  @ApiOkResponse({ type: InvitePreviewDto })
  @Public()
  @Get('invite-links/:token')
  preview(@Param('token') token: string, @ClientIp() ip: string): Promise<InvitePreviewDto> {
    return this.svc.preview(token, ip);
  }

  /** Redeem (signed-in user; linked accounts may receive shares). The PHP hub's `/me/…` spelling is kept as an alias. */
  @ApiCreatedResponse({ type: ShareDto, description: 'the share the link granted' })
  @UserAuth()
  @Post('invite-links/:token/redeem')
  @HttpCode(201)
  redeem(@CurrentUser() me: AuthUser, @Param('token') token: string, @ClientIp() ip: string): Promise<ShareDto> {
    return this.svc.redeem(me, token, ip);
  }

  @ApiCreatedResponse({ type: ShareDto, description: 'the share the link granted' })
  @UserAuth()
  @Post('me/invite-links/:token/redeem')
  @HttpCode(201)
  redeemAlias(@CurrentUser() me: AuthUser, @Param('token') token: string, @ClientIp() ip: string): Promise<ShareDto> {
    return this.svc.redeem(me, token, ip);
  }
}
