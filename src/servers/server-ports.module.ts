import { Module } from '@nestjs/common';
import { ServerStats } from '../common/ports/server-stats.port.js';
import { ServerExportSource } from '../common/ports/server-export.port.js';
import { ServerStatsRepository } from './server-stats.repository.js';
import { ServerExportRepository } from './server-export.repository.js';

/** What the servers feature provides to other features' reads (dashboard, metrics, shutdown, export). */
@Module({
  providers: [
    { provide: ServerStats, useClass: ServerStatsRepository },
    { provide: ServerExportSource, useClass: ServerExportRepository },
  ],
  exports: [ServerStats, ServerExportSource],
})
export class ServerPortsModule {}
