import { Injectable } from '@nestjs/common';
import { AuditRepository, type AuditFilter, type AuditRow } from './audit.repository.js';
import { UsersService } from '../users/users.service.js';

export interface AuditQuery extends AuditFilter {
  page?: number;
  perPage?: number;
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
  constructor(
    private readonly repo: AuditRepository,
    private readonly users: UsersService,
  ) {}

  async list(q: AuditQuery): Promise<{ items: AuditEntryView[]; page: number; per_page: number; total: number }> {
    const page = q.page ?? 1;
    const per = q.perPage ?? 50;
    const { rows, total } = await this.repo.search(q, (page - 1) * per, per);
    return { items: await this.views(rows), page, per_page: per, total };
  }

  /** Most recent entries (dashboard "recent activity"). */
  async recent(limit: number): Promise<AuditEntryView[]> {
    return this.views(await this.repo.recent(limit));
  }

  /** Rows with the actor's username when the actor is an account that still exists. */
  private async views(rows: AuditRow[]): Promise<AuditEntryView[]> {
    const ids = [...new Set(rows.map((r) => r.actor_id).filter((x): x is string => typeof x === 'string' && x !== ''))];
    const names = new Map((await this.users.findByIds(ids)).map((u) => [u.id, u.username]));
    return rows.map((r) => this.view({ ...r, actor_username: names.get(r.actor_id as string) ?? null }));
  }

  private view(r: AuditRow): AuditEntryView {
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
