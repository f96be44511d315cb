import type { AuthUser } from '../common/auth.decorators.js';
import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentUser } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { uuidPipe } from '../common/pipes.js';
import { AdminServersService } from './servers-admin.service.js';
import { ListServersQuery } from './dto/servers-admin.dto.js';
import { AdminServerPageDto, ServerReleasedDto } from './dto/server-responses.dto.js';

@ApiTags('admin')
@Controller('api/v1/admin/servers')
export class AdminServersController {
  constructor(private readonly svc: AdminServersService) {}

  /** Paged; filter by `owner` (user id), `status` (online|offline|claiming|disabled|released), `q` (name). */
  @ApiOkResponse({ type: AdminServerPageDto })
  @AdminAuth()
  @Get()
  list(@Query() q: ListServersQuery): Promise<AdminServerPageDto> {
    return this.svc.list(q);
  }

  /** Release the claim (audited): owner, enrollment, tunnel and shares end; the server's media is untouched. */
  @ApiOkResponse({ type: ServerReleasedDto })
  @AdminAuth()
  @Post(':id/release')
  @HttpCode(200)
  release(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('server.not_found')) id: string,
    @ClientIp() ip: string,
  ): Promise<ServerReleasedDto> {
    return this.svc.releaseServer(me, id, ip);
  }
}
