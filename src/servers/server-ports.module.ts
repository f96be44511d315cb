import { Module } from '@nestjs/common';
import { ServerStats } from '../common/ports/server-stats.port.js';
import { ServerExportSource } from '../common/ports/server-export.port.js';
import { ServerStatsRepository } from './server-stats.repository.js';
import { ServerExportRepository } from './server-export.repository.js';
import { ServerDirectory } from '../common/ports/server-directory.port.js';
import { ServersStoreModule } from './servers-store.module.js';
import { ServerDirectoryService } from './server-directory.js';

/** What the servers feature provides to other features' reads (dashboard, metrics, shutdown, export, relay). */
@Module({
  imports: [ServersStoreModule],
  providers: [
    { provide: ServerStats, useClass: ServerStatsRepository },
    { provide: ServerExportSource, useClass: ServerExportRepository },
    { provide: ServerDirectory, useClass: ServerDirectoryService },
  ],
  exports: [ServerStats, ServerExportSource, ServerDirectory],
})
export class ServerPortsModule {}
