import { Module } from '@nestjs/common';
import { AdminDashboardController } from './admin-dashboard.controller.js';
import { AdminDashboardService } from './admin-dashboard.service.js';
import { RelayModule } from '../relay/relay.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';
import { ServerPortsModule } from '../servers/server-ports.module.js';

/** The operator's dashboard (admin only); each feature's own admin routes live in that feature. */
@Module({
  imports: [RelayModule, AuditModule, UsersModule, ServerPortsModule],
  controllers: [AdminDashboardController],
  providers: [AdminDashboardService],
})
export class AdminOpsModule {}
