import type { AuthUser } from '../common/auth.decorators.js';
import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentUser } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { uuidPipe } from '../common/pipes.js';
import { SharingAdminService } from './sharing-admin.service.js';
import { AdminListSharingQuery } from './dto/admin-sharing.dto.js';

/** Admin views of every share and invite link (paged), with revoke. */
@ApiTags('admin')
@Controller('api/v1/admin')
export class AdminSharingController {
  constructor(private readonly svc: SharingAdminService) {}

  @AdminAuth() @Get('shares')
  listShares(@Query() q: AdminListSharingQuery) {
    return this.svc.listShares(q);
  }

  @AdminAuth() @Delete('shares/:id') @HttpCode(204)
  async revokeShare(@CurrentUser() me: AuthUser, @Param('id', uuidPipe('share.not_found')) id: string, @ClientIp() ip: string) {
    await this.svc.revokeShare(me, id, ip);
  }

  @AdminAuth() @Get('invite-links')
  listInvites(@Query() q: AdminListSharingQuery) {
    return this.svc.listInvites(q);
  }

  @AdminAuth() @Delete('invite-links/:id') @HttpCode(204)
  async revokeInvite(@CurrentUser() me: AuthUser, @Param('id', uuidPipe('invite.not_found')) id: string, @ClientIp() ip: string) {
    await this.svc.revokeInvite(me, id, ip);
  }
}
