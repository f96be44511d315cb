import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock.js';
import { every, type PeriodicJob } from '../common/periodic.js';
import { ServersRepository } from './servers.repository.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimTokensRepository } from './claim-tokens.repository.js';
import { HeartbeatsRepository } from './heartbeats.repository.js';
import { retryOnLockConflict } from './db-retry.js';

/** 3 missed 60 s heartbeats (fixed: docs/protocol/pairing.md, Payloads) */
export const OFFLINE_AFTER_MS = 180_000;
export const REAP_INTERVAL_MS = 30_000;
/** expired claims / tokens are kept a day (so a late redeem still answers 410), then deleted */
const CLAIM_RETENTION_MS = 86_400_000;
const HEARTBEAT_MAX_AGE_MS = 7 * 86_400_000;

/**
 * Marks silent servers offline and sweeps expired pairing rows. Every step is one conditional
 * statement, so any number of hub processes may run it at the same time without harm.
 */
@Injectable()
export class ServerReaperService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ServerReaper');
  private job?: PeriodicJob;

  constructor(
    private readonly servers: ServersRepository,
    private readonly claims: ClaimsRepository,
    private readonly tokens: ClaimTokensRepository,
    private readonly heartbeats: HeartbeatsRepository,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.job = every(
      this.scheduler,
      'servers.reaper',
      REAP_INTERVAL_MS,
      () => this.tick(),
      (e) => this.log.warn(`reaper pass failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
    this.job = undefined;
  }

  /** One pass (every() skips a pass while the last one runs, and logs its failure). */
  private async tick(): Promise<void> {
    await this.reap();
    await this.sweep();
  }

  /**
   * online servers not heard from for 180 s → offline. Returns how many changed. One conditional
   * UPDATE decides; if two processes collide InnoDB may pick one as a deadlock victim (its
   * statement is rolled back whole), so that one simply runs the statement again.
   */
  async reap(): Promise<number> {
    return retryOnLockConflict(async () => {
      const now = this.clock.now();
      return this.servers.markSilentOffline(now - OFFLINE_AFTER_MS, now);
    });
  }

  /** Delete long-expired claims and claim tokens, and heartbeats older than 7 days. */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    await this.claims.deleteExpiredBefore(now - CLAIM_RETENTION_MS);
    await this.tokens.deleteExpiredBefore(now - CLAIM_RETENTION_MS);
    await this.heartbeats.deleteReceivedBefore(now - HEARTBEAT_MAX_AGE_MS);
  }
}
