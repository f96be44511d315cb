import { Injectable } from '@nestjs/common';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { DbDialect } from '../database/dialect.js';
import { LIKE_ESCAPE, likePrefix } from '../common/sql-like.js';
import { AuditLog } from './entities/audit-log.entity.js';

export interface AuditFilter {
  /** exact action, or a prefix when it ends with "." or "*" (e.g. "server.*") */
  action?: string;
  actorId?: string;
  targetId?: string;
  targetType?: string;
  outcome?: string;
  /** epoch ms, inclusive */
  since?: number;
  /** epoch ms, exclusive */
  until?: number;
}

/** An audit row as read for display (raw columns). */
export type AuditRow = Record<string, string | number | null>;

/** Every query of `audit_logs`. */
@Injectable()
export class AuditRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
  ) {}

  async insert(row: AuditLog): Promise<void> {
    await this.ds.manager.insert(AuditLog, row);
  }

  /** Rows changed (0 when no row has this id). */
  async updateDetails(id: string, details: string, at: number): Promise<number> {
    const res = await this.ds.manager
      .createQueryBuilder()
      .update(AuditLog)
      .set({ details, at })
      .where('id = :id', { id })
      .execute();
    return res.affected ?? 0;
  }

  /** One page of matching rows, newest first, and the number of matching rows. */
  async search(f: AuditFilter, offset: number, limit: number): Promise<{ rows: AuditRow[]; total: number }> {
    const qb = this.ds.manager.createQueryBuilder(AuditLog, 'a');
    if (f.action) {
      if (/[.*]$/.test(f.action)) {
        qb.andWhere(`a.action LIKE :act ${LIKE_ESCAPE}`, { act: likePrefix(f.action.replace(/\*$/, '')) });
      } else {
        qb.andWhere('a.action = :act', { act: f.action });
      }
    }
    if (f.actorId) qb.andWhere('a.actor_id = :actor', { actor: f.actorId });
    if (f.targetId) qb.andWhere('a.target_id = :target', { target: f.targetId });
    if (f.targetType) qb.andWhere('a.target_type = :ttype', { ttype: f.targetType });
    if (f.outcome) qb.andWhere('a.outcome = :outcome', { outcome: f.outcome });
    if (f.since !== undefined) qb.andWhere('a.at >= :since', { since: f.since });
    if (f.until !== undefined) qb.andWhere('a.at < :until', { until: f.until });
    const total = await qb.getCount();
    return { rows: await this.page(qb, offset, limit), total };
  }

  /** The most recent rows. */
  recent(limit: number): Promise<AuditRow[]> {
    return this.page(this.ds.manager.createQueryBuilder(AuditLog, 'a'), 0, limit);
  }

  private page(qb: SelectQueryBuilder<AuditLog>, offset: number, limit: number): Promise<AuditRow[]> {
    return qb
      .select([
        'a.id AS id',
        'a.at AS at',
        'a.action AS action',
        'a.actor_type AS actor_type',
        'a.actor_id AS actor_id',
        'a.target_type AS target_type',
        'a.target_id AS target_id',
        'a.ip AS ip',
        'a.outcome AS outcome',
        'a.details AS details',
      ])
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(offset)
      .limit(limit)
      .getRawMany<AuditRow>();
  }

  /** One bounded DELETE of rows older than `cutoff`; the structured result gives the affected row count on both drivers. */
  async deleteOlderThan(cutoff: number, batch: number): Promise<number> {
    const sql = this.dialect.isMysql
      ? 'DELETE FROM audit_logs WHERE at < ? ORDER BY at LIMIT ?'
      : 'DELETE FROM audit_logs WHERE id IN (SELECT id FROM audit_logs WHERE at < ? ORDER BY at LIMIT ?)';
    const qr = this.ds.createQueryRunner();
    try {
      const res = await qr.query(sql, [cutoff, batch], true);
      return Number(res.affected ?? 0);
    } finally {
      await qr.release();
    }
  }
}
