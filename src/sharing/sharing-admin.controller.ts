import type { AuthUser } from '../common/auth.decorators.js';
import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentUser } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { uuidPipe } from '../common/pipes.js';
import { SharingAdminService } from './sharing-admin.service.js';
import { AdminListSharingQuery } from './dto/admin-sharing.dto.js';
import { InvitePageDto, SharePageDto } from './dto/sharing-responses.dto.js';

/** Admin views of every share and invite link (paged), with revoke. */
@ApiTags('admin')
@Controller('api/v1/admin')
export class AdminSharingController {
  constructor(private readonly svc: SharingAdminService) {}

  @ApiOkResponse({ type: SharePageDto })
  @AdminAuth()
  @Get('shares')
  listShares(@Query() q: AdminListSharingQuery): Promise<SharePageDto> {
    return this.svc.listShares(q);
  }

  @ApiNoContentResponse({ description: 'The share is revoked' })
  @AdminAuth()
  @Delete('shares/:id')
  @HttpCode(204)
  async revokeShare(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('share.not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.svc.revokeShare(me, id, ip);
  }

  @ApiOkResponse({ type: InvitePageDto })
  @AdminAuth()
  @Get('invite-links')
  listInvites(@Query() q: AdminListSharingQuery): Promise<InvitePageDto> {
    return this.svc.listInvites(q);
  }

  @ApiNoContentResponse({ description: 'The invite link is revoked' })
  @AdminAuth()
  @Delete('invite-links/:id')
  @HttpCode(204)
  async revokeInvite(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('invite.not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.svc.revokeInvite(me, id, ip);
  }
}
