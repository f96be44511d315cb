import { Module } from '@nestjs/common';
import { AdminDashboardController } from './admin-dashboard.controller.js';
import { AdminDashboardService } from './admin-dashboard.service.js';
import { AdminAuditController } from './admin-audit.controller.js';

/** Operator views: the dashboard and the audit log (admin only), in a module of their own beside AdminModule. */
@Module({
  controllers: [AdminDashboardController, AdminAuditController],
  providers: [AdminDashboardService],
})
export class AdminOpsModule {}
