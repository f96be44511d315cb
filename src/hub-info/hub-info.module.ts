import { Module } from '@nestjs/common';
import { HubInfoController } from './hub-info.controller.js';
import { HubInfoService } from './hub-info.service.js';
import { AdminHubInfoController } from './hub-info-admin.controller.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';

/** Hub policy publication and its admin overrides (PUT /api/v1/admin/hub-info). */
@Module({
  imports: [CommonModule, AuditModule],
  controllers: [HubInfoController, AdminHubInfoController],
  providers: [HubInfoService],
  exports: [HubInfoService],
})
export class HubInfoModule {}
