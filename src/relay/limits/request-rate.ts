import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../../common/clock.js';
import { rateLimited } from '../../common/hub-error.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { RequestRateRepository } from './request-rate.repository.js';

/** How often this process adds its counted requests to the shared rows and reads the others' back. */
export const REQUEST_RATE_SYNC_MS = 500;
const WINDOW_MS = 60_000;

interface Window {
  resetAt: number;
  /** hits in this window: this process's, plus the others' as of the last sync */
  count: number;
  /** hits not yet added to the row */
  pending: number;
}

/**
 * HUB_RELAY_REQUEST_LIMIT: relayed requests per user per minute, counted in memory on the request
 * path and added to the user's fixed-window row of rate_limits every REQUEST_RATE_SYNC_MS, which
 * also brings back what the other hub processes counted. A user's first request in a window here
 * reads the row once (requests arriving meanwhile wait for that one read), so a process joins a
 * window with what the others have counted so far; after that, no DB round trip per request.
 * Within one process the limit is exact; across processes a burst can pass it by what the others
 * counted since their last sync (at most REQUEST_RATE_SYNC_MS of their traffic).
 */
@Injectable()
export class RelayRequestRate implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayRequestRate');
  private readonly windows = new Map<string, Window>();
  private readonly opening = new Map<string, Promise<void>>();
  private job?: PeriodicJob;
  private syncing = false;

  constructor(
    private readonly repo: RequestRateRepository,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.job = every(
      this.scheduler,
      'relay.request-rate-sync',
      REQUEST_RATE_SYNC_MS,
      () => this.sync(),
      (e) => this.log.warn(`request rate sync failed: ${e.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.job?.stop();
    await this.sync();
  }

  /**
   * Count one request of the user; 429 relay.rate_limited (with Retry-After) over `limit` a minute.
   * Synchronous while the user's window here is open; a promise when it must first be read.
   */
  consume(userId: string, limit: number): void | Promise<void> {
    const w = this.windows.get(userId);
    if (w && w.resetAt > this.clock.now()) return this.count(w, limit);
    return this.open(userId).then(() => {
      const now = this.clock.now();
      let cur = this.windows.get(userId);
      if (!cur || cur.resetAt <= now) {
        cur = { resetAt: now + WINDOW_MS, count: 0, pending: 0 };
        this.windows.set(userId, cur);
      }
      this.count(cur, limit);
    });
  }

  private count(w: Window, limit: number): void {
    w.count++;
    w.pending++;
    if (w.count > limit) throw rateLimited('relay.rate_limited', (w.resetAt - this.clock.now()) / 1000);
  }

  /** Start the user's window here from the shared row: one read, shared by the requests that wait. */
  private open(userId: string): Promise<void> {
    let p = this.opening.get(userId);
    if (!p) {
      p = this.load(userId).finally(() => this.opening.delete(userId));
      this.opening.set(userId, p);
    }
    return p;
  }

  private async load(userId: string): Promise<void> {
    let row: { count: number; resetAt: number } | null = null;
    try {
      row = await this.repo.read(`relay_req:${userId}`);
    } catch (e) {
      // the limit still holds for this process's own requests
      this.log.warn(`request rate read failed: ${(e as Error).message}`);
    }
    const now = this.clock.now();
    const cur = this.windows.get(userId);
    if (cur && cur.resetAt > now) return;
    const live = row && row.resetAt > now;
    this.windows.set(userId, {
      resetAt: live ? row!.resetAt : now + WINDOW_MS,
      count: live ? row!.count : 0,
      pending: 0,
    });
  }

  /** Add the pending hits to the rows and take the shared counts back. */
  async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const now = this.clock.now();
      for (const [userId, w] of [...this.windows]) {
        // an ended window's unsynced hits are dropped: written now they would open the next window
        if (w.resetAt <= now) {
          this.windows.delete(userId);
          continue;
        }
        if (!w.pending) continue;
        const n = w.pending;
        w.pending = 0;
        try {
          const row = await this.repo.add(`relay_req:${userId}`, n, now, WINDOW_MS);
          const cur = this.windows.get(userId);
          if (cur !== w) continue; // a new local window began meanwhile
          // the row holds everyone's hits up to now; ours since the write are on top
          if (row.resetAt > this.clock.now()) {
            w.count = row.count + w.pending;
            w.resetAt = row.resetAt;
          }
        } catch (e) {
          w.pending += n;
          throw e;
        }
      }
    } finally {
      this.syncing = false;
    }
  }
}
