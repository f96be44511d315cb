import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { RelaySession } from './entities/relay-session.entity.js';

export interface SessionCounters {
  bytesIn: number;
  bytesOut: number;
  lastFrameAt: number;
}

/**
 * The relay_sessions bookkeeping. The live registry (in memory) is the truth for routing;
 * these rows are for presence displays, accounting and audits. DB failures are logged and
 * never break a tunnel.
 */
@Injectable()
export class RelaySessionsService {
  private readonly log = new Logger('RelaySessions');
  readonly node: string;

  constructor(
    @InjectRepository(RelaySession) private readonly repo: Repository<RelaySession>,
    private readonly clock: Clock,
    cfg: HubConfig,
  ) {
    this.node = (cfg.relay.node || `${hostname()}`).slice(0, 128);
  }

  /** Insert the row of a newly promoted tunnel and supersede any other open row of that server. */
  async open(serverId: string, tunnelId: string, remoteIp: string | null, flowControl: string): Promise<string> {
    const id = randomUUID();
    const now = this.clock.now();
    await this.repo.insert({
      id, serverId, tunnelId, workerNode: this.node, remoteIp: remoteIp?.slice(0, 64) ?? null, flowControl,
      openedAt: now, closedAt: null, lastFrameAt: now, bytesIn: 0, bytesOut: 0, closeReason: null,
    });
    return id;
  }

  /** Close other open rows of the server (a reconnect supersedes what a crash or another node left). */
  async supersede(serverId: string, keep: string[]): Promise<void> {
    await this.safe(() =>
      this.repo.createQueryBuilder().update().set({ closedAt: this.clock.now(), closeReason: 'superseded' })
        .where('server_id = :serverId AND closed_at IS NULL AND id NOT IN (:...keep)', { serverId, keep }).execute(),
    );
  }

  async flush(id: string, c: SessionCounters): Promise<void> {
    await this.safe(() =>
      this.repo.createQueryBuilder().update()
        .set({ bytesIn: c.bytesIn, bytesOut: c.bytesOut, lastFrameAt: c.lastFrameAt })
        .where('id = :id AND closed_at IS NULL', { id }).execute(),
    );
  }

  async close(id: string, reason: string, c: SessionCounters): Promise<void> {
    await this.safe(() =>
      this.repo.createQueryBuilder().update()
        .set({ closedAt: this.clock.now(), closeReason: reason.slice(0, 64), bytesIn: c.bytesIn, bytesOut: c.bytesOut, lastFrameAt: c.lastFrameAt })
        .where('id = :id AND closed_at IS NULL', { id }).execute(),
    );
  }

  /**
   * At start: rows this node left open belong to tunnels that died with the previous process;
   * rows of any node silent for `staleMs` are orphans too (a node that crashed for good).
   */
  async reconcile(staleMs: number): Promise<number> {
    const now = this.clock.now();
    let n = 0;
    await this.safe(async () => {
      const own = await this.repo.createQueryBuilder().update().set({ closedAt: now, closeReason: 'reconciled_on_start' })
        .where('worker_node = :node AND closed_at IS NULL', { node: this.node }).execute();
      n += own.affected ?? 0;
    });
    n += await this.reapStale(staleMs);
    return n;
  }

  /** Close open rows (of any node) whose last flushed frame is older than `staleMs`. */
  async reapStale(staleMs: number, keep: ReadonlySet<string> = new Set()): Promise<number> {
    const now = this.clock.now();
    let n = 0;
    await this.safe(async () => {
      const qb = this.repo.createQueryBuilder().update().set({ closedAt: now, closeReason: 'stale' })
        .where('closed_at IS NULL AND last_frame_at < :t', { t: now - staleMs });
      if (keep.size) qb.andWhere('id NOT IN (:...keep)', { keep: [...keep] });
      n = (await qb.execute()).affected ?? 0;
    });
    return n;
  }

  findOpen(serverId: string): Promise<RelaySession | null> {
    return this.repo.findOne({ where: { serverId, closedAt: IsNull() }, order: { openedAt: 'DESC' } });
  }

  findById(id: string): Promise<RelaySession | null> {
    return this.repo.findOne({ where: { id } });
  }

  private async safe(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.error(`relay_sessions update failed: ${(e as Error).message}`);
    }
  }
}
