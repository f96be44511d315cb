import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { DbStatsCollector } from './db-stats.collector.js';

/** Prometheus /metrics and the MetricsService others may call (global). */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, DbStatsCollector],
  exports: [MetricsService],
})
export class MetricsModule {}
