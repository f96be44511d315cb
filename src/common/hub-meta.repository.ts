import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DbDialect } from '../database/dialect.js';

/**
 * Every query of `hub_meta`, the hub's small key/value table: live settings (`setting:<name>`),
 * job leases (`lease:<name>`) and one-time elections (`first_admin`).
 */
@Injectable()
export class HubMetaRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
  ) {}

  async getValue(k: string): Promise<string | null | undefined> {
    const rows: { v: string | null }[] = await this.ds.query('SELECT v FROM hub_meta WHERE k = ?', [k]);
    return rows.length ? rows[0].v : undefined;
  }

  async putValue(k: string, v: string, now: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?) ${this.dialect.upsertSuffix(['k'], `v = ${this.dialect.excluded('v')}, updated_at = ${this.dialect.excluded('updated_at')}`)}`,
      [k, v, now],
    );
  }

  async deleteKey(k: string): Promise<void> {
    await this.ds.query('DELETE FROM hub_meta WHERE k = ?', [k]);
  }

  /** Insert a key that must not exist yet (a unique violation says someone else holds it); inside `m`'s transaction when given. */
  async insertKey(k: string, v: string, now: number, m: EntityManager = this.ds.manager): Promise<void> {
    await m.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', [k, v, now]);
  }

  /**
   * Take lease `k` for `owner` if it was last taken at least `intervalMs` ago. One conditional
   * UPDATE: exactly one caller per interval sees affected = 1, however many processes race.
   */
  async tryTakeLease(k: string, owner: string, now: number, intervalMs: number): Promise<boolean> {
    await this.ds.query(
      `INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?) ${this.dialect.upsertSuffix(['k'], 'k = k')}`,
      [k, '', 0],
    );
    const qr = this.ds.createQueryRunner();
    try {
      const res = await qr.query(
        'UPDATE hub_meta SET v = ?, updated_at = ? WHERE k = ? AND updated_at <= ?',
        [owner.slice(0, 200), now, k, now - intervalMs],
        true,
      );
      return Number(res.affected ?? 0) === 1;
    } finally {
      await qr.release();
    }
  }
}
