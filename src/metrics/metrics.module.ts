import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { DbStatsCollector } from './db-stats.collector.js';
import { RelayModule } from '../relay/relay.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';
import { ServerPortsModule } from '../servers/server-ports.module.js';

/** Prometheus /metrics and the MetricsService others may call. */
@Module({
  imports: [RelayModule, AuditModule, UsersModule, ServerPortsModule],
  controllers: [MetricsController],
  providers: [MetricsService, DbStatsCollector],
  exports: [MetricsService],
})
export class MetricsModule {}
