import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { RelaySession } from './entities/relay-session.entity.js';
import type { RelayTraffic } from '../common/ports/relay-traffic.port.js';

export interface SessionCounters {
  bytesIn: number;
  bytesOut: number;
  lastFrameAt: number;
}

/** SQL of relay_sessions (one row per tunnel); also the RelayTraffic port of the admin dashboard. */
@Injectable()
export class RelaySessionsRepository implements RelayTraffic {
  constructor(@InjectRepository(RelaySession) private readonly repo: Repository<RelaySession>) {}

  async insert(row: RelaySession): Promise<void> {
    await this.repo.insert(row);
  }

  /** Close the open rows of a server except `keep`. */
  async supersede(serverId: string, keep: string[], now: number): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ closedAt: now, closeReason: 'superseded' })
      .where('server_id = :serverId AND closed_at IS NULL AND id NOT IN (:...keep)', { serverId, keep })
      .execute();
  }

  async counters(id: string, c: SessionCounters): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ bytesIn: c.bytesIn, bytesOut: c.bytesOut, lastFrameAt: c.lastFrameAt })
      .where('id = :id AND closed_at IS NULL', { id })
      .execute();
  }

  async close(id: string, reason: string, c: SessionCounters, now: number): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ closedAt: now, closeReason: reason, bytesIn: c.bytesIn, bytesOut: c.bytesOut, lastFrameAt: c.lastFrameAt })
      .where('id = :id AND closed_at IS NULL', { id })
      .execute();
  }

  /** Close the open rows of a node; how many. */
  async closeNode(node: string, reason: string, now: number): Promise<number> {
    const r = await this.repo
      .createQueryBuilder()
      .update()
      .set({ closedAt: now, closeReason: reason })
      .where('worker_node = :node AND closed_at IS NULL', { node })
      .execute();
    return r.affected ?? 0;
  }

  /** Close open rows (of any node) whose last frame is before `before`, except `keep`; how many. */
  async closeStale(before: number, keep: string[], now: number): Promise<number> {
    const qb = this.repo
      .createQueryBuilder()
      .update()
      .set({ closedAt: now, closeReason: 'stale' })
      .where('closed_at IS NULL AND last_frame_at < :t', { t: before });
    if (keep.length) qb.andWhere('id NOT IN (:...keep)', { keep });
    return (await qb.execute()).affected ?? 0;
  }

  findOpen(serverId: string): Promise<RelaySession | null> {
    return this.repo.findOne({ where: { serverId, closedAt: IsNull() }, order: { openedAt: 'DESC' } });
  }

  findById(id: string): Promise<RelaySession | null> {
    return this.repo.findOne({ where: { id } });
  }

  async bytesOfTunnelsOpenSince(since: number): Promise<number> {
    const r: { bin: number | string | null; bout: number | string | null }[] = await this.repo.query(
      'SELECT SUM(bytes_in) AS bin, SUM(bytes_out) AS bout FROM relay_sessions WHERE closed_at IS NULL OR closed_at >= ?',
      [since],
    );
    return Number(r[0]?.bin ?? 0) + Number(r[0]?.bout ?? 0);
  }
}
