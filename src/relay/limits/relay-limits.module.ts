import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RelayModule } from '../relay.module.js';
import { RelayUserLimits } from '../entities/relay-user-limits.entity.js';
import { RelayUsage } from '../entities/relay-usage.entity.js';
import { RelayStreamLease } from '../entities/relay-stream-lease.entity.js';
import { RelayUsageService } from './usage.service.js';
import { RelayUserLimitsService } from './user-limits.service.js';
import { StreamLeasesService } from './stream-leases.service.js';
import { RelayBandwidthService } from './bandwidth.service.js';
import { AdminRelayController, MeBandwidthController } from './bandwidth.controller.js';

/**
 * The stores behind RelayLimits (usage, per-user limits, stream leases). Global, because
 * RelayLimits itself is provided by RelayModule (the proxy injects it) and needs them.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RelayUserLimits, RelayUsage, RelayStreamLease])],
  providers: [RelayUsageService, RelayUserLimitsService, StreamLeasesService],
  exports: [RelayUsageService, RelayUserLimitsService, StreamLeasesService],
})
export class RelayLimitsStoreModule {}

/** Relay limits REST: `/api/v1/me/bandwidth`, admin usage and per-user limits. */
@Module({
  imports: [RelayLimitsStoreModule, RelayModule],
  controllers: [MeBandwidthController, AdminRelayController],
  providers: [RelayBandwidthService],
})
export class RelayLimitsModule {}
