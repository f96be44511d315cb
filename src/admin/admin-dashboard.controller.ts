import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../common/auth.decorators.js';
import { AdminDashboardService } from './admin-dashboard.service.js';
import { DashboardDto } from './dto/admin-responses.dto.js';

@ApiTags('admin')
@Controller('api/v1/admin/dashboard')
export class AdminDashboardController {
  constructor(private readonly dash: AdminDashboardService) {}

  /** Users, servers online/offline, live tunnels and streams, relay bytes today, recent activity. */
  @ApiOkResponse({ type: DashboardDto })
  @AdminAuth()
  @Get()
  summary(): Promise<DashboardDto> {
    return this.dash.summary();
  }

  /** PHP-hub spelling. */
  @ApiOkResponse({ type: DashboardDto })
  @AdminAuth()
  @Get('summary')
  legacySummary(): Promise<DashboardDto> {
    return this.dash.summary();
  }
}
