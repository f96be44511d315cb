import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { after, type PeriodicJob } from '../common/periodic.js';
import { HubSettings } from '../common/hub-settings.service.js';
import { AuditService } from './audit.service.js';
import { AuditRepository } from './audit.repository.js';
import { HubMetaRepository } from '../common/hub-meta.repository.js';
import { randomUUID } from 'node:crypto';

const DAY = 86_400_000;
/** how often a purge is attempted (one process wins the lease per interval) */
export const PURGE_INTERVAL_MS = 3_600_000;
const FIRST_RUN_MS = 60_000;
const BATCH = 1000;
const MAX_BATCHES = 50;
const LEASE = 'audit-purge';

/**
 * Retention for audit_logs: rows older than HUB_AUDIT_RETENTION_DAYS (or the live setting
 * `audit.retention_days`) are deleted in bounded batches. Several hub processes may run this:
 * a DB-backed lease (one conditional UPDATE on hub_meta) lets one of them purge per interval, and
 * the deletes themselves are idempotent, so an overlap only costs a few empty statements.
 */
@Injectable()
export class AuditRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('AuditRetention');
  private job?: PeriodicJob;
  private running?: Promise<number>;
  private stopped = false;
  private readonly owner = `${process.pid}:${randomUUID()}`;

  constructor(
    private readonly logs: AuditRepository,
    private readonly meta: HubMetaRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly settings: HubSettings,
    private readonly audit: AuditService,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_RUN_MS + Math.floor(Math.random() * 30_000));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.job?.stop();
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    // the next run is planned when this one ends, so runs never overlap
    this.job = after(
      this.scheduler,
      'audit.retention',
      ms,
      () => {
        this.running = this.purgeExpired().catch((e) => {
          this.log.warn(`audit purge failed: ${(e as Error).message}`);
          return 0;
        });
        void this.running.finally(() => this.schedule(PURGE_INTERVAL_MS));
      },
      (e) => this.log.warn(`audit purge failed: ${e.message}`),
    );
  }

  /** Effective retention in days: live setting when valid, else the env/config value. */
  async retentionDays(): Promise<number> {
    const live = await this.settings.get('audit.retention_days').catch(() => null);
    const n = live !== null && /^\d{1,5}$/.test(live) ? Number(live) : NaN;
    return n >= 1 ? n : this.cfg.audit.retentionDays;
  }

  /**
   * Delete expired rows, at most MAX_BATCHES × BATCH per call. Without `force`, only the process
   * holding this interval's lease does the work. Returns the number of rows deleted.
   */
  async purgeExpired(opts: { force?: boolean; maxBatches?: number } = {}): Promise<number> {
    if (!opts.force) {
      // a little under the interval, so the next hourly attempt of any process finds it free
      if (!(await this.meta.tryTakeLease(`lease:${LEASE}`, this.owner, this.clock.now(), PURGE_INTERVAL_MS - 60_000))) {
        return 0;
      }
    }
    const cutoff = this.clock.now() - (await this.retentionDays()) * DAY;
    let total = 0;
    for (let i = 0; i < (opts.maxBatches ?? MAX_BATCHES) && !this.stopped; i++) {
      const n = await this.deleteBatch(cutoff);
      total += n;
      if (n < BATCH) break;
      await new Promise((r) => setImmediate(r));
    }
    if (total > 0) {
      await this.audit.record({
        action: 'audit.purged',
        actorType: 'system',
        targetType: 'audit_log',
        details: { deleted: total, before: new Date(cutoff).toISOString() },
      });
    }
    return total;
  }

  private deleteBatch(cutoff: number): Promise<number> {
    return this.logs.deleteOlderThan(cutoff, BATCH);
  }
}
