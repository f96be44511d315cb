import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Gauge, Registry } from 'prom-client';
import { performance } from 'node:perf_hooks';
import { UsersService } from '../users/users.service.js';
import { ServerStats } from '../common/ports/server-stats.port.js';

const CACHE_MS = 15_000;

interface MysqlPoolLike {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/**
 * DB pool gauges and a few fleet counts (users, servers by status), read at scrape time.
 * Counts are cached for 15 s so a tight scrape interval cannot load the database.
 */
@Injectable()
export class DbStatsCollector {
  private cache?: { at: number; users: number; servers: Record<string, number> };

  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly serverStats: ServerStats,
  ) {}

  register(registry: Registry): void {
    // prom-client calls collect() with the gauge as `this`
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'phlix_hub_db_pool_connections',
      help: 'Database connections by state (SQLite: one embedded connection)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const p = self.pool();
        if (!p) {
          this.set({ state: 'total' }, self.ds.isInitialized ? 1 : 0);
          this.set({ state: 'max' }, 1);
          this.set({ state: 'idle' }, 0);
          this.set({ state: 'waiting' }, 0);
          return;
        }
        this.set({ state: 'total' }, p._allConnections?.length ?? 0);
        this.set({ state: 'idle' }, p._freeConnections?.length ?? 0);
        this.set({ state: 'waiting' }, p._connectionQueue?.length ?? 0);
        this.set({ state: 'max' }, p.config?.connectionLimit ?? 0);
      },
    });
    new Gauge({
      name: 'phlix_hub_users',
      help: 'User accounts',
      registers: [registry],
      async collect() {
        this.set((await self.counts()).users);
      },
    });
    new Gauge({
      name: 'phlix_hub_servers',
      help: 'Claimed servers by status',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [status, n] of Object.entries((await self.counts()).servers)) this.set({ status }, n);
      },
    });
  }

  private pool(): MysqlPoolLike | undefined {
    const d = this.ds.driver as unknown as { pool?: MysqlPoolLike };
    return d.pool;
  }

  private async counts(): Promise<{ users: number; servers: Record<string, number> }> {
    // a monotonic cache timer (not hub time: the cache must expire in tests with a frozen clock too)
    const now = performance.now();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache;
    let users = 0;
    const servers: Record<string, number> = {};
    try {
      users = await this.users.count();
      // status values are the servers module's small fixed set; anything else is folded into "other"
      for (const [status, n] of Object.entries(await this.serverStats.claimedCountsByStatus())) {
        const s = ['claiming', 'online', 'offline', 'disabled'].includes(status) ? status : 'other';
        servers[s] = (servers[s] ?? 0) + n;
      }
    } catch {
      /* tables missing while migrating: report zeros */
    }
    this.cache = { at: now, users, servers };
    return this.cache;
  }
}
