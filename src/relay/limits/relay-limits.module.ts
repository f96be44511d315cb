import { Module } from '@nestjs/common';
import { RelayModule } from '../relay.module.js';
import { CommonModule } from '../../common/common.module.js';
import { AuditModule } from '../../audit/audit.module.js';
import { RelayLimitsStoreModule } from './relay-limits-store.module.js';
import { RelayBandwidthService } from './bandwidth.service.js';
import { AdminRelayController, MeBandwidthController } from './bandwidth.controller.js';
import { UsersModule } from '../../users/users.module.js';
import { ServerPortsModule } from '../../servers/server-ports.module.js';

/** Relay limits REST: `/api/v1/me/bandwidth`, admin usage and per-user limits. */
@Module({
  imports: [RelayLimitsStoreModule, RelayModule, CommonModule, AuditModule, UsersModule, ServerPortsModule],
  controllers: [MeBandwidthController, AdminRelayController],
  providers: [RelayBandwidthService],
})
export class RelayLimitsModule {}
