import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../../common/clock.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { DbDialect } from '../../database/dialect.js';
import { PeriodCache, type Period } from './period.js';

export const USAGE_FLUSH_MS = 5000;

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

  constructor(private readonly ds: DataSource, private readonly dialect: DbDialect, private readonly clock: Clock, private readonly scheduler: SchedulerRegistry) {}

  onModuleInit(): void {
    this.job = every(this.scheduler, 'relay.usage-flush', USAGE_FLUSH_MS, () => this.flush(), (e) => this.log.warn(`usage flush failed: ${e.message}`));
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
    const d = this.dialect;
    const assign = `bytes_in = bytes_in + ${d.excluded('bytes_in')}, bytes_out = bytes_out + ${d.excluded('bytes_out')}, updated_at = ${d.excluded('updated_at')}`;
    const sql = `INSERT INTO relay_usage (period, user_id, server_id, bytes_in, bytes_out, updated_at) VALUES (?, ?, ?, ?, ?, ?) ${d.upsertSuffix(['period', 'user_id', 'server_id'], assign)}`;
    for (const p of batch) {
      if (!p.bytesIn && !p.bytesOut) continue;
      try {
        await this.ds.query(sql, [p.period, p.userId, p.serverId, p.bytesIn, p.bytesOut, now]);
      } catch (e) {
        this.log.error(`usage flush failed (kept for the next try): ${(e as Error).message}`);
        this.add(p.period, p.userId, p.serverId, p.bytesIn, p.bytesOut);
      }
    }
  }

  /** A user's totals for a period (all servers): flushed rows plus what this process has not flushed yet. */
  async userTotals(userId: string, period: string): Promise<{ bytesIn: number; bytesOut: number }> {
    if (this.flushing) await this.flushing; // bytes in flight are in neither place
    const rows: { i: unknown; o: unknown }[] = await this.ds.query(
      'SELECT COALESCE(SUM(bytes_in), 0) AS i, COALESCE(SUM(bytes_out), 0) AS o FROM relay_usage WHERE period = ? AND user_id = ?', [period, userId]);
    const p = this.pendingOf(userId, period);
    return { bytesIn: Number(rows[0]?.i ?? 0) + p.bytesIn, bytesOut: Number(rows[0]?.o ?? 0) + p.bytesOut };
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
    const rows: { server_id: string; i: unknown; o: unknown }[] = await this.ds.query(
      'SELECT server_id, bytes_in AS i, bytes_out AS o FROM relay_usage WHERE period = ? AND user_id = ? ORDER BY server_id', [period, userId]);
    return rows.map((r) => ({ userId, serverId: r.server_id, bytesIn: Number(r.i), bytesOut: Number(r.o) }));
  }

  /** Top users and top servers of a period by total bytes (flushes first). */
  async overview(period: string, limit: number): Promise<{ users: { userId: string; bytesIn: number; bytesOut: number }[]; servers: { serverId: string; bytesIn: number; bytesOut: number }[]; totals: { bytesIn: number; bytesOut: number } }> {
    await this.flush();
    const group = async (column: 'user_id' | 'server_id') => {
      const rows: { id: string; i: unknown; o: unknown }[] = await this.ds.query(
        `SELECT ${column} AS id, SUM(bytes_in) AS i, SUM(bytes_out) AS o FROM relay_usage WHERE period = ? GROUP BY ${column} ORDER BY SUM(bytes_in) + SUM(bytes_out) DESC, ${column} LIMIT ${Math.trunc(limit)}`,
        [period]);
      return rows.map((r) => ({ id: r.id, bytesIn: Number(r.i), bytesOut: Number(r.o) }));
    };
    const totals: { i: unknown; o: unknown }[] = await this.ds.query(
      'SELECT COALESCE(SUM(bytes_in), 0) AS i, COALESCE(SUM(bytes_out), 0) AS o FROM relay_usage WHERE period = ?', [period]);
    return {
      users: (await group('user_id')).map(({ id, ...r }) => ({ userId: id, ...r })),
      servers: (await group('server_id')).map(({ id, ...r }) => ({ serverId: id, ...r })),
      totals: { bytesIn: Number(totals[0]?.i ?? 0), bytesOut: Number(totals[0]?.o ?? 0) },
    };
  }

  async forgetUser(userId: string): Promise<void> {
    for (const [k, p] of this.pending) if (p.userId === userId) this.pending.delete(k);
    await this.ds.query('DELETE FROM relay_usage WHERE user_id = ?', [userId]);
  }
}
