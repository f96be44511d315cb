import { Module } from '@nestjs/common';
import { HubInfoController } from './hub-info.controller.js';
import { HubInfoService } from './hub-info.service.js';
import { AdminHubInfoController } from '../admin/admin-hub-info.controller.js';

/** Hub policy publication and its admin overrides (PUT /api/v1/admin/hub-info). */
@Module({
  controllers: [HubInfoController, AdminHubInfoController],
  providers: [HubInfoService],
  exports: [HubInfoService],
})
export class HubInfoModule {}
