import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DbDialect } from '../../database/dialect.js';

export interface Bytes {
  bytesIn: number;
  bytesOut: number;
}

/** SQL of relay_usage: bytes per (UTC month, user, server). */
@Injectable()
export class RelayUsageRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
  ) {}

  /** Add a delta to one row (`bytes = bytes + delta`, so processes add up). */
  async add(
    period: string,
    userId: string,
    serverId: string,
    bytesIn: number,
    bytesOut: number,
    now: number,
  ): Promise<void> {
    const d = this.dialect;
    const assign = `bytes_in = bytes_in + ${d.excluded('bytes_in')}, bytes_out = bytes_out + ${d.excluded('bytes_out')}, updated_at = ${d.excluded('updated_at')}`;
    await this.ds.query(
      `INSERT INTO relay_usage (period, user_id, server_id, bytes_in, bytes_out, updated_at) VALUES (?, ?, ?, ?, ?, ?) ${d.upsertSuffix(['period', 'user_id', 'server_id'], assign)}`,
      [period, userId, serverId, bytesIn, bytesOut, now],
    );
  }

  async userTotal(period: string, userId: string): Promise<Bytes> {
    const rows: { i: unknown; o: unknown }[] = await this.ds.query(
      'SELECT COALESCE(SUM(bytes_in), 0) AS i, COALESCE(SUM(bytes_out), 0) AS o FROM relay_usage WHERE period = ? AND user_id = ?',
      [period, userId],
    );
    return { bytesIn: Number(rows[0]?.i ?? 0), bytesOut: Number(rows[0]?.o ?? 0) };
  }

  /** Totals of many users (users without a row are absent). */
  async totalsOf(period: string, userIds: string[]): Promise<Map<string, Bytes>> {
    const out = new Map<string, Bytes>();
    for (let i = 0; i < userIds.length; i += 500) {
      const part = userIds.slice(i, i + 500);
      const rows: { user_id: string; i: unknown; o: unknown }[] = await this.ds.query(
        `SELECT user_id, SUM(bytes_in) AS i, SUM(bytes_out) AS o FROM relay_usage WHERE period = ? AND user_id IN (${part.map(() => '?').join(', ')}) GROUP BY user_id`,
        [period, ...part],
      );
      for (const r of rows) out.set(r.user_id, { bytesIn: Number(r.i), bytesOut: Number(r.o) });
    }
    return out;
  }

  async userServers(period: string, userId: string): Promise<({ serverId: string } & Bytes)[]> {
    const rows: { server_id: string; i: unknown; o: unknown }[] = await this.ds.query(
      'SELECT server_id, bytes_in AS i, bytes_out AS o FROM relay_usage WHERE period = ? AND user_id = ? ORDER BY server_id',
      [period, userId],
    );
    return rows.map((r) => ({ serverId: r.server_id, bytesIn: Number(r.i), bytesOut: Number(r.o) }));
  }

  /** The top `limit` users or servers of a period by total bytes. */
  async top(period: string, column: 'user_id' | 'server_id', limit: number): Promise<({ id: string } & Bytes)[]> {
    const rows: { id: string; i: unknown; o: unknown }[] = await this.ds.query(
      `SELECT ${column} AS id, SUM(bytes_in) AS i, SUM(bytes_out) AS o FROM relay_usage WHERE period = ? GROUP BY ${column} ORDER BY SUM(bytes_in) + SUM(bytes_out) DESC, ${column} LIMIT ${Math.trunc(limit)}`,
      [period],
    );
    return rows.map((r) => ({ id: r.id, bytesIn: Number(r.i), bytesOut: Number(r.o) }));
  }

  async periodTotal(period: string): Promise<Bytes> {
    const rows: { i: unknown; o: unknown }[] = await this.ds.query(
      'SELECT COALESCE(SUM(bytes_in), 0) AS i, COALESCE(SUM(bytes_out), 0) AS o FROM relay_usage WHERE period = ?',
      [period],
    );
    return { bytesIn: Number(rows[0]?.i ?? 0), bytesOut: Number(rows[0]?.o ?? 0) };
  }

  async forgetUser(userId: string): Promise<void> {
    await this.ds.query('DELETE FROM relay_usage WHERE user_id = ?', [userId]);
  }
}
