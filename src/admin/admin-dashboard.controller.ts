import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../common/auth.decorators.js';
import { AdminDashboardService } from './admin-dashboard.service.js';

@ApiTags('admin')
@Controller('api/v1/admin/dashboard')
export class AdminDashboardController {
  constructor(private readonly dash: AdminDashboardService) {}

  /** Users, servers online/offline, live tunnels and streams, relay bytes today, recent activity. */
  @AdminAuth() @Get()
  summary() {
    return this.dash.summary();
  }

  /** PHP-hub spelling. */
  @AdminAuth() @Get('summary')
  legacySummary() {
    return this.dash.summary();
  }
}
