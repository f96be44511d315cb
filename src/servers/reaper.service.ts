import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { every, type PeriodicJob } from '../common/periodic.js';
import { Server } from './entities/server.entity.js';
import { ServerClaim } from './entities/server-claim.entity.js';
import { ClaimToken } from './entities/claim-token.entity.js';
import { ServerHeartbeat } from './entities/server-heartbeat.entity.js';
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
  private running = false;

  constructor(
    @InjectRepository(Server) private readonly servers: Repository<Server>,
    @InjectRepository(ServerClaim) private readonly claims: Repository<ServerClaim>,
    @InjectRepository(ClaimToken) private readonly tokens: Repository<ClaimToken>,
    @InjectRepository(ServerHeartbeat) private readonly heartbeats: Repository<ServerHeartbeat>,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.job = every(this.scheduler, 'servers.reaper', REAP_INTERVAL_MS, () => this.tick(), (e) => this.log.warn(`reaper pass failed: ${e.message}`));
  }

  onModuleDestroy(): void {
    this.job?.stop();
    this.job = undefined;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.reap();
      await this.sweep();
    } catch (e) {
      this.log.warn(`reaper pass failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /**
   * online servers not heard from for 180 s → offline. Returns how many changed. One conditional
   * UPDATE decides; if two processes collide InnoDB may pick one as a deadlock victim (its
   * statement is rolled back whole), so that one simply runs the statement again.
   */
  async reap(): Promise<number> {
    return retryOnLockConflict(async () => {
      const now = this.clock.now();
      const res = await this.servers.createQueryBuilder().update(Server)
        .set({ status: 'offline', updatedAt: now })
        .where('status = :online AND (last_seen_at IS NULL OR last_seen_at < :cut)', { online: 'online', cut: now - OFFLINE_AFTER_MS })
        .execute();
      return res.affected ?? 0;
    });
  }

  /** Delete long-expired claims and claim tokens, and heartbeats older than 7 days. */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    await this.claims.createQueryBuilder().delete().from(ServerClaim).where('expires_at < :t', { t: now - CLAIM_RETENTION_MS }).execute();
    await this.tokens.createQueryBuilder().delete().from(ClaimToken).where('expires_at < :t', { t: now - CLAIM_RETENTION_MS }).execute();
    await this.heartbeats.createQueryBuilder().delete().from(ServerHeartbeat).where('received_at < :t', { t: now - HEARTBEAT_MAX_AGE_MS }).execute();
  }
}
