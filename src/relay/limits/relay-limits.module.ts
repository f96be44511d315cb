import { Module } from '@nestjs/common';
import { RelayModule } from '../relay.module.js';
import { CommonModule } from '../../common/common.module.js';
import { AuditModule } from '../../audit/audit.module.js';
import { RelayLimitsStoreModule } from './relay-limits-store.module.js';
import { RelayBandwidthService } from './bandwidth.service.js';
import { AdminRelayController, MeBandwidthController } from './bandwidth.controller.js';
import { BandwidthNamesRepository } from './bandwidth-names.repository.js';

/** Relay limits REST: `/api/v1/me/bandwidth`, admin usage and per-user limits. */
@Module({
  imports: [RelayLimitsStoreModule, RelayModule, CommonModule, AuditModule],
  controllers: [MeBandwidthController, AdminRelayController],
  providers: [RelayBandwidthService, BandwidthNamesRepository],
})
export class RelayLimitsModule {}
