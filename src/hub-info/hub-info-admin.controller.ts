import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentUser } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { HubInfoService } from './hub-info.service.js';
import { PutHubInfoDto } from './dto/hub-info.dto.js';
import { AdminHubInfoDto } from './dto/hub-info-responses.dto.js';

@ApiTags('admin', 'hub')
@Controller('api/v1/admin/hub-info')
export class AdminHubInfoController {
  constructor(private readonly info: HubInfoService) {}

  @ApiOkResponse({ type: AdminHubInfoDto })
  @AdminAuth()
  @Get()
  @ApiOperation({ summary: 'Published hub info plus the source of each value (env or admin)' })
  get(): Promise<AdminHubInfoDto> {
    return this.info.adminView();
  }

  @ApiOkResponse({ type: AdminHubInfoDto })
  @AdminAuth()
  @Put()
  @ApiOperation({ summary: 'Override name, public URL and policies (durable); null reverts a field to the env value' })
  put(@CurrentUser() me: AuthUser, @Body() dto: PutHubInfoDto, @ClientIp() ip: string): Promise<AdminHubInfoDto> {
    return this.info.update(dto, me.id, ip);
  }
}
