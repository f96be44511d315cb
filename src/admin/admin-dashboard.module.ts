import { Module } from '@nestjs/common';
import { AdminDashboardController } from './admin-dashboard.controller.js';
import { AdminDashboardService } from './admin-dashboard.service.js';
import { AdminAuditController } from './admin-audit.controller.js';

/** Operator views: dashboard and audit log (admin only). Kept apart from AdminModule to avoid edit clashes. */
@Module({
  controllers: [AdminDashboardController, AdminAuditController],
  providers: [AdminDashboardService],
})
export class AdminOpsModule {}
