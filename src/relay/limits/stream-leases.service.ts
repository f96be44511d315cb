import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SchedulerRegistry } from '@nestjs/schedule';
import { hostname } from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { DbDialect } from '../../database/dialect.js';

/** How often a process marks its open streams as alive. */
export const LEASE_REFRESH_MS = 30_000;
/** Leases not refreshed for this long belong to a process that died: they stop counting. */
export const LEASE_STALE_MS = 4 * LEASE_REFRESH_MS;

export type StreamKind = 'http' | 'channel';

export type LeaseRefusal = 'hub' | 'user' | 'server';

/**
 * Open relay streams as rows of relay_stream_leases, so HUB_MAX_RELAY_SESSIONS and the per-user
 * and per-server stream caps hold across every hub process (not per process). Admission is one short
 * transaction that locks the `admission` row of relay_locks (MySQL; SQLite serialises
 * writers), counts the live leases and inserts one: exactly one winner for the last slot.
 */
@Injectable()
export class StreamLeasesService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayLeases');
  /** this process instance (host name + pid + random): leases of a dead instance go stale */
  readonly node: string;
  private readonly mine = new Set<string>();
  private job?: PeriodicJob;

  constructor(private readonly ds: DataSource, private readonly dialect: DbDialect, private readonly clock: Clock, cfg: HubConfig, private readonly scheduler: SchedulerRegistry) {
    this.node = `${(cfg.relay.node || hostname()).slice(0, 128)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  onModuleInit(): void {
    this.job = every(this.scheduler, 'relay.lease-refresh', LEASE_REFRESH_MS, () => this.refresh(), (e) => this.log.warn(`lease refresh failed: ${e.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    this.job?.stop();
    if (!this.mine.size) return;
    await this.safe(() => this.ds.query('DELETE FROM relay_stream_leases WHERE node = ?', [this.node]));
    this.mine.clear();
  }

  get localCount(): number {
    return this.mine.size;
  }

  /**
   * Take a slot, or say which cap refused it. `hubMax` ≥ 1; `userMax` / `serverMax` 0 = no such cap.
   */
  async acquire(userId: string, serverId: string, kind: StreamKind, hubMax: number, userMax: number, serverMax = 0): Promise<{ id: string } | { refused: LeaseRefusal }> {
    const id = randomUUID();
    const now = this.clock.now();
    const live = now - LEASE_STALE_MS;
    const result = await this.ds.transaction(async (m) => {
      await m.query(`SELECT name FROM relay_locks WHERE name = 'admission' ${this.dialect.forUpdate}`);
      const hub: { n: unknown }[] = await m.query('SELECT COUNT(*) AS n FROM relay_stream_leases WHERE seen_at > ?', [live]);
      if (Number(hub[0]?.n ?? 0) >= hubMax) return { refused: 'hub' as const };
      if (userMax > 0) {
        const mine: { n: unknown }[] = await m.query('SELECT COUNT(*) AS n FROM relay_stream_leases WHERE user_id = ? AND seen_at > ?', [userId, live]);
        if (Number(mine[0]?.n ?? 0) >= userMax) return { refused: 'user' as const };
      }
      if (serverMax > 0) {
        const its: { n: unknown }[] = await m.query('SELECT COUNT(*) AS n FROM relay_stream_leases WHERE server_id = ? AND seen_at > ?', [serverId, live]);
        if (Number(its[0]?.n ?? 0) >= serverMax) return { refused: 'server' as const };
      }
      await m.query(
        'INSERT INTO relay_stream_leases (id, user_id, server_id, kind, node, started_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, userId, serverId, kind, this.node, now, now],
      );
      return { id };
    });
    if ('id' in result) this.mine.add(id);
    return result;
  }

  /** The stream ended. Never throws. */
  async release(id: string): Promise<void> {
    if (!this.mine.delete(id)) return;
    await this.safe(() => this.ds.query('DELETE FROM relay_stream_leases WHERE id = ?', [id]));
  }

  /** Live leases of a user, hub-wide. */
  async countUser(userId: string): Promise<number> {
    const rows: { n: unknown }[] = await this.ds.query('SELECT COUNT(*) AS n FROM relay_stream_leases WHERE user_id = ? AND seen_at > ?', [userId, this.clock.now() - LEASE_STALE_MS]);
    return Number(rows[0]?.n ?? 0);
  }

  async countAll(): Promise<number> {
    const rows: { n: unknown }[] = await this.ds.query('SELECT COUNT(*) AS n FROM relay_stream_leases WHERE seen_at > ?', [this.clock.now() - LEASE_STALE_MS]);
    return Number(rows[0]?.n ?? 0);
  }

  /** Mark this process's leases alive and drop stale rows of dead processes. */
  async refresh(): Promise<void> {
    const now = this.clock.now();
    if (this.mine.size) await this.safe(() => this.ds.query('UPDATE relay_stream_leases SET seen_at = ? WHERE node = ?', [now, this.node]));
    await this.safe(() => this.ds.query('DELETE FROM relay_stream_leases WHERE seen_at < ? AND node <> ?', [now - LEASE_STALE_MS, this.node]));
  }

  private async safe(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.error(`relay_stream_leases update failed: ${(e as Error).message}`);
    }
  }
}
