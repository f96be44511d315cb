import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DbDialect } from '../../database/dialect.js';

/** The relay's request counters in rate_limits (the same fixed-window rows as RateLimitService's). */
@Injectable()
export class RequestRateRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
  ) {}

  /** The stored window of `key`, or null when there is none. */
  async read(key: string): Promise<{ count: number; resetAt: number } | null> {
    const rows: { count: number | string; reset_at: number | string }[] = await this.ds.query(
      'SELECT count, reset_at FROM rate_limits WHERE k = ?',
      [key.slice(0, 191)],
    );
    return rows[0] ? { count: Number(rows[0].count), resetAt: Number(rows[0].reset_at) } : null;
  }

  /** Add `n` hits to a window (a new window when the stored one is over); returns the row after. */
  async add(key: string, n: number, now: number, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const k = key.slice(0, 191);
    const assign = this.dialect.isMysql
      ? 'count = IF(reset_at <= ?, VALUES(count), count + VALUES(count)), reset_at = IF(reset_at <= ?, VALUES(reset_at), reset_at)'
      : 'count = CASE WHEN reset_at <= ? THEN excluded.count ELSE count + excluded.count END, reset_at = CASE WHEN reset_at <= ? THEN excluded.reset_at ELSE reset_at END';
    await this.ds.query(
      `INSERT INTO rate_limits (k, count, reset_at) VALUES (?, ?, ?) ${this.dialect.upsertSuffix(['k'], assign)}`,
      [k, n, now + windowMs, now, now],
    );
    const row = await this.read(k);
    return row ?? { count: n, resetAt: now + windowMs };
  }
}
