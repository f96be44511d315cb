import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The names the bandwidth views show next to relay usage (users and servers, read only). */
@Injectable()
export class BandwidthNamesRepository {
  constructor(private readonly ds: DataSource) {}

  async userExists(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query('SELECT id FROM users WHERE id = ?', [userId]);
    return rows.length > 0;
  }

  async serverNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await this.ds.query(
      `SELECT id, name FROM servers WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async userNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; username: string }[] = await this.ds.query(
      `SELECT id, username FROM users WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    return new Map(rows.map((r) => [r.id, r.username]));
  }
}
