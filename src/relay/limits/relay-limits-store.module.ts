import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RelayUserLimits } from '../entities/relay-user-limits.entity.js';
import { RelayUsage } from '../entities/relay-usage.entity.js';
import { RelayStreamLease } from '../entities/relay-stream-lease.entity.js';
import { RelayUsageService } from './usage.service.js';
import { RelayUserLimitsService } from './user-limits.service.js';
import { StreamLeasesService } from './stream-leases.service.js';

import { RelayUsageRepository } from './usage.repository.js';
import { RelayUserLimitsRepository } from './user-limits.repository.js';
import { StreamLeasesRepository } from './stream-leases.repository.js';
import { RequestRateRepository } from './request-rate.repository.js';
import { RelayRequestRate } from './request-rate.js';
import { CommonModule } from '../../common/common.module.js';

/** The stores behind RelayLimits (usage, per-user limits, stream leases); RelayModule imports them. */
@Module({
  imports: [TypeOrmModule.forFeature([RelayUserLimits, RelayUsage, RelayStreamLease]), CommonModule],
  providers: [
    RelayUsageService,
    RelayUserLimitsService,
    StreamLeasesService,
    RelayUsageRepository,
    RelayUserLimitsRepository,
    StreamLeasesRepository,
    RequestRateRepository,
    RelayRequestRate,
  ],
  exports: [RelayUsageService, RelayUserLimitsService, StreamLeasesService, RelayRequestRate],
})
export class RelayLimitsStoreModule {}
