import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditLog } from './entities/audit-log.entity.js';
import { LIKE_ESCAPE, likePrefix } from '../common/sql-like.js';

export interface AuditQuery {
  page?: number;
  perPage?: number;
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

export interface AuditEntryView {
  id: string;
  at: string;
  action: string;
  actor_type: string;
  actor_id: string | null;
  actor_username: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  outcome: string;
  details: Record<string, unknown> | null;
}

function parseDetails(s: string | null): Record<string, unknown> | null {
  if (!s) return null;
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' ? v : null;
  } catch {
    return { truncated: true };
  }
}

/** Read side of the audit log (admin views, dashboard activity). */
@Injectable()
export class AuditQueryService {
  constructor(@InjectRepository(AuditLog) private readonly repo: Repository<AuditLog>) {}

  async list(q: AuditQuery): Promise<{ items: AuditEntryView[]; page: number; per_page: number; total: number }> {
    const page = q.page ?? 1;
    const per = q.perPage ?? 50;
    const qb = this.repo.createQueryBuilder('a');
    if (q.action) {
      if (/[.*]$/.test(q.action)) qb.andWhere(`a.action LIKE :act ${LIKE_ESCAPE}`, { act: likePrefix(q.action.replace(/\*$/, '')) });
      else qb.andWhere('a.action = :act', { act: q.action });
    }
    if (q.actorId) qb.andWhere('a.actor_id = :actor', { actor: q.actorId });
    if (q.targetId) qb.andWhere('a.target_id = :target', { target: q.targetId });
    if (q.targetType) qb.andWhere('a.target_type = :ttype', { ttype: q.targetType });
    if (q.outcome) qb.andWhere('a.outcome = :outcome', { outcome: q.outcome });
    if (q.since !== undefined) qb.andWhere('a.at >= :since', { since: q.since });
    if (q.until !== undefined) qb.andWhere('a.at < :until', { until: q.until });
    const total = await qb.getCount();
    return { items: await this.fetch(qb, (page - 1) * per, per), page, per_page: per, total };
  }

  /** Most recent entries (dashboard "recent activity"). */
  async recent(limit: number): Promise<AuditEntryView[]> {
    return this.fetch(this.repo.createQueryBuilder('a'), 0, limit);
  }

  private async fetch(qb: ReturnType<Repository<AuditLog>['createQueryBuilder']>, offset: number, limit: number): Promise<AuditEntryView[]> {
    const rows = await qb
      .leftJoin('users', 'u', 'u.id = a.actor_id')
      .select(['a.id AS id', 'a.at AS at', 'a.action AS action', 'a.actor_type AS actor_type', 'a.actor_id AS actor_id', 'u.username AS actor_username',
        'a.target_type AS target_type', 'a.target_id AS target_id', 'a.ip AS ip', 'a.outcome AS outcome', 'a.details AS details'])
      .orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC')
      .offset(offset).limit(limit)
      .getRawMany<Record<string, string | number | null>>();
    return rows.map((r) => this.view(r));
  }

  private view(r: Record<string, string | number | null>): AuditEntryView {
    return {
      id: String(r.id),
      at: new Date(Number(r.at)).toISOString(),
      action: String(r.action),
      actor_type: String(r.actor_type),
      actor_id: (r.actor_id as string) ?? null,
      actor_username: (r.actor_username as string) ?? null,
      target_type: (r.target_type as string) ?? null,
      target_id: (r.target_id as string) ?? null,
      ip: (r.ip as string) ?? null,
      outcome: String(r.outcome),
      details: parseDetails(r.details as string | null),
    };
  }
}
