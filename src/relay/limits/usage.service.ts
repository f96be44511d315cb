import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../../common/clock.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { RelayUsageRepository } from './usage.repository.js';
import { PeriodCache, type Period } from './period.js';

export const USAGE_FLUSH_MS = 5000;
/** How old a user's totals may be when a stream is admitted (this process's own bytes are always added). */
export const TOTALS_MAX_AGE_MS = 1000;

interface Totals {
  period: string;
  /** performance.now() of the read */
  at: number;
  bytesIn: number;
  bytesOut: number;
  /** this process's metered bytes of the user at the read */
  mIn: number;
  mOut: number;
}

export interface UsageRow {
  userId: string;
  serverId: string;
  bytesIn: number;
  bytesOut: number;
}

interface Pending {
  period: string;
  userId: string;
  serverId: string;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Relayed bytes per (month, user, server), durable in relay_usage. Metering is a counter bump
 * in memory (hot path); deltas are added to the rows every USAGE_FLUSH_MS, at shutdown and
 * before every read, with one upsert per key (`bytes = bytes + delta`, so processes add up).
 * in = downloaded by the user (server → client), out = uploaded (client → server).
 */
@Injectable()
export class RelayUsageService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayUsage');
  private pending = new Map<string, Pending>();
  private readonly periods = new PeriodCache();
  private job?: PeriodicJob;
  private flushing: Promise<void> | null = null;
  /** bytes this process metered per user this period (never flushed away: the base of `liveTotals`) */
  private readonly metered = new Map<string, { period: string; bytesIn: number; bytesOut: number }>();
  private readonly totals = new Map<string, Totals>();

  constructor(
    private readonly repo: RelayUsageRepository,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.job = every(
      this.scheduler,
      'relay.usage-flush',
      USAGE_FLUSH_MS,
      () => this.flush(),
      (e) => this.log.warn(`usage flush failed: ${e.message}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.job?.stop();
    await this.flush();
  }

  period(): Period {
    return this.periods.at(this.clock.now());
  }

  now(): number {
    return this.clock.now();
  }

  /** Count bytes of one stream (cheap; called per relayed chunk). */
  add(period: string, userId: string, serverId: string, bytesIn: number, bytesOut: number): void {
    const k = `${period}|${userId}|${serverId}`;
    let p = this.pending.get(k);
    if (!p) this.pending.set(k, (p = { period, userId, serverId, bytesIn: 0, bytesOut: 0 }));
    p.bytesIn += bytesIn;
    p.bytesOut += bytesOut;
    let m = this.metered.get(userId);
    if (!m || m.period !== period) this.metered.set(userId, (m = { period, bytesIn: 0, bytesOut: 0 }));
    m.bytesIn += bytesIn;
    m.bytesOut += bytesOut;
  }

  /**
   * A user's totals for a period, read from the rows at most TOTALS_MAX_AGE_MS ago (or `maxAgeMs`)
   * plus every byte this process metered since: the admission check without a query per request.
   */
  async liveTotals(
    userId: string,
    period: string,
    maxAgeMs = TOTALS_MAX_AGE_MS,
  ): Promise<{ bytesIn: number; bytesOut: number }> {
    const t = this.totals.get(userId);
    if (t && t.period === period && performance.now() - t.at < maxAgeMs) {
      const m = this.meteredOf(userId, period);
      return { bytesIn: t.bytesIn + m.bytesIn - t.mIn, bytesOut: t.bytesOut + m.bytesOut - t.mOut };
    }
    const fresh = await this.userTotals(userId, period);
    this.remember(userId, period, fresh);
    return fresh;
  }

  /** Read the totals of many users at once (the live streams' reconcile) and remember them. */
  async refreshTotals(userIds: string[], period: string): Promise<Map<string, { bytesIn: number; bytesOut: number }>> {
    const out = new Map<string, { bytesIn: number; bytesOut: number }>();
    if (!userIds.length) return out;
    if (this.flushing) await this.flushing;
    const rows = await this.repo.totalsOf(period, userIds);
    for (const id of userIds) {
      const r = rows.get(id) ?? { bytesIn: 0, bytesOut: 0 };
      const p = this.pendingOf(id, period);
      const v = { bytesIn: r.bytesIn + p.bytesIn, bytesOut: r.bytesOut + p.bytesOut };
      this.remember(id, period, v);
      out.set(id, v);
    }
    return out;
  }

  private remember(userId: string, period: string, v: { bytesIn: number; bytesOut: number }): void {
    const m = this.meteredOf(userId, period);
    if (this.totals.size > 10_000) this.totals.clear();
    this.totals.set(userId, { period, at: performance.now(), ...v, mIn: m.bytesIn, mOut: m.bytesOut });
  }

  private meteredOf(userId: string, period: string): { bytesIn: number; bytesOut: number } {
    const m = this.metered.get(userId);
    return m && m.period === period ? m : { bytesIn: 0, bytesOut: 0 };
  }

  /** Write the accumulated deltas. Concurrent callers share one run; failed deltas are kept for the next. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.pending.size ? this.flush() : undefined));
    if (!this.pending.size) return Promise.resolve();
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(batch: Pending[]): Promise<void> {
    const now = this.clock.now();
    for (const p of batch) {
      if (!p.bytesIn && !p.bytesOut) continue;
      try {
        await this.repo.add(p.period, p.userId, p.serverId, p.bytesIn, p.bytesOut, now);
      } catch (e) {
        this.log.error(`usage flush failed (kept for the next try): ${(e as Error).message}`);
        this.requeue(p);
      }
    }
  }

  /** A failed delta goes back to the pending counters (already metered: not counted twice in `metered`). */
  private requeue(p: Pending): void {
    const k = `${p.period}|${p.userId}|${p.serverId}`;
    let q = this.pending.get(k);
    if (!q) this.pending.set(k, (q = { ...p, bytesIn: 0, bytesOut: 0 }));
    q.bytesIn += p.bytesIn;
    q.bytesOut += p.bytesOut;
  }

  /** A user's totals for a period (all servers): flushed rows plus what this process has not flushed yet. */
  async userTotals(userId: string, period: string): Promise<{ bytesIn: number; bytesOut: number }> {
    if (this.flushing) await this.flushing; // bytes in flight are in neither place
    const r = await this.repo.userTotal(period, userId);
    const p = this.pendingOf(userId, period);
    return { bytesIn: r.bytesIn + p.bytesIn, bytesOut: r.bytesOut + p.bytesOut };
  }

  /** Unflushed bytes of a user in this process (added to DB totals for live checks). */
  pendingOf(userId: string, period: string): { bytesIn: number; bytesOut: number } {
    let i = 0;
    let o = 0;
    for (const p of this.pending.values()) {
      if (p.userId === userId && p.period === period) {
        i += p.bytesIn;
        o += p.bytesOut;
      }
    }
    return { bytesIn: i, bytesOut: o };
  }

  /** Per-server rows of one user (flushes first). */
  async userServers(userId: string, period: string): Promise<UsageRow[]> {
    await this.flush();
    return (await this.repo.userServers(period, userId)).map((r) => ({ userId, ...r }));
  }

  /** Top users and top servers of a period by total bytes (flushes first). */
  async overview(
    period: string,
    limit: number,
  ): Promise<{
    users: { userId: string; bytesIn: number; bytesOut: number }[];
    servers: { serverId: string; bytesIn: number; bytesOut: number }[];
    totals: { bytesIn: number; bytesOut: number };
  }> {
    await this.flush();
    return {
      users: (await this.repo.top(period, 'user_id', limit)).map(({ id, ...r }) => ({ userId: id, ...r })),
      servers: (await this.repo.top(period, 'server_id', limit)).map(({ id, ...r }) => ({ serverId: id, ...r })),
      totals: await this.repo.periodTotal(period),
    };
  }

  async forgetUser(userId: string): Promise<void> {
    this.totals.delete(userId);
    this.metered.delete(userId);
    for (const [k, p] of this.pending) if (p.userId === userId) this.pending.delete(k);
    await this.repo.forgetUser(userId);
  }
}
