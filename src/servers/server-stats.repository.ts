import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServerStats } from '../common/ports/server-stats.port.js';

/** Counts over `servers` for the dashboard, metrics and shutdown. */
@Injectable()
export class ServerStatsRepository extends ServerStats {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async claimedCountsByStatus(): Promise<Record<string, number>> {
    const rows: { status: string; n: number | string }[] = await this.ds.query(
      'SELECT status, COUNT(*) AS n FROM servers WHERE owner_id IS NOT NULL GROUP BY status',
    );
    const by: Record<string, number> = {};
    for (const r of rows) by[String(r.status)] = Number(r.n ?? 0);
    return by;
  }

  async claimedServerIds(): Promise<string[]> {
    return ((await this.ds.query('SELECT id FROM servers WHERE owner_id IS NOT NULL')) as { id: string }[]).map(
      (r) => r.id,
    );
  }
}
