import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../../common/clock.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { HubEvents } from '../../common/hub-events.js';
import { SharesRepository } from '../../sharing/shares.repository.js';
import { TunnelRegistry } from './registry.js';

/** How often expiry is looked for: open streams of an expired share end within about this long. */
export const EXPIRY_SWEEP_MS = 1000;

/**
 * Expiry ends open streams like revoke does: every second, the shares whose expiry passed since
 * the last look (by the hub Clock) emit share.changed, and the registry and the channel hub
 * re-check the grantee's streams and channels on that server. One indexed query a second, and
 * none while this process holds no tunnel (nothing could be streaming).
 */
@Injectable()
export class ShareExpirySweep implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ShareExpiry');
  private job?: PeriodicJob;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly events: HubEvents,
    private readonly expired: SharesRepository,
    private readonly registry: TunnelRegistry,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.last = clock.now();
  }

  onModuleInit(): void {
    this.job = every(
      this.scheduler,
      'relay.share-expiry',
      EXPIRY_SWEEP_MS,
      () => this.sweep(),
      (e) => this.log.error(`expiry sweep failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    const after = Math.min(this.last, now);
    this.last = now;
    if (this.registry.activeTunnels() === 0 && this.registry.activeStreams() === 0) return 0;
    const pairs = await this.expired.expiredBetween(after, now);
    for (const p of pairs) await this.events.emit('share.changed', p);
    return pairs.length;
  }
}
