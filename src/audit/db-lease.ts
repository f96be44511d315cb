import type { DataSource } from 'typeorm';
import type { DbDialect } from '../database/dialect.js';

/**
 * A periodic job lease shared by every hub process through the database (row `lease:<name>` in
 * hub_meta). `tryAcquire` is one conditional UPDATE: exactly one caller per interval sees
 * affected = 1, on SQLite and MySQL alike, however many processes race.
 */
export async function tryAcquireLease(ds: DataSource, dialect: DbDialect, name: string, owner: string, now: number, intervalMs: number): Promise<boolean> {
  const k = `lease:${name}`;
  await ds.query(`INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?) ${dialect.upsertSuffix(['k'], 'k = k')}`, [k, '', 0]);
  const qr = ds.createQueryRunner();
  try {
    const res = await qr.query('UPDATE hub_meta SET v = ?, updated_at = ? WHERE k = ? AND updated_at <= ?', [owner.slice(0, 200), now, k, now - intervalMs], true);
    return Number(res.affected ?? 0) === 1;
  } finally {
    await qr.release();
  }
}
