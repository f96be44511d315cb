import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DbDialect } from '../database/dialect.js';

/** A fixed-window counter row of `rate_limits`. */
export interface RateWindow {
  count: number;
  resetAt: number;
}

/** Every query of `rate_limits` (keys are cut to the column's 191 characters here). */
@Injectable()
export class RateLimitsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
  ) {}

  /** One atomic upsert: a new window of 1 ending at `resetAt` once the old one is over, else one more. */
  async increment(key: string, resetAt: number, now: number): Promise<void> {
    const assign = this.dialect.isMysql
      ? 'count = IF(reset_at <= ?, 1, count + 1), reset_at = IF(reset_at <= ?, VALUES(reset_at), reset_at)'
      : 'count = CASE WHEN reset_at <= ? THEN 1 ELSE count + 1 END, reset_at = CASE WHEN reset_at <= ? THEN excluded.reset_at ELSE reset_at END';
    await this.ds.query(
      `INSERT INTO rate_limits (k, count, reset_at) VALUES (?, 1, ?) ${this.dialect.upsertSuffix(['k'], assign)}`,
      [key.slice(0, 191), resetAt, now, now],
    );
  }

  async find(key: string): Promise<RateWindow | null> {
    const rows: { count: number | string; reset_at: number | string }[] = await this.ds.query(
      'SELECT count, reset_at FROM rate_limits WHERE k = ?',
      [key.slice(0, 191)],
    );
    return rows.length ? { count: Number(rows[0].count), resetAt: Number(rows[0].reset_at) } : null;
  }

  async decrement(key: string): Promise<void> {
    await this.ds.query('UPDATE rate_limits SET count = count - 1 WHERE k = ? AND count > 0', [key.slice(0, 191)]);
  }

  async delete(key: string): Promise<void> {
    await this.ds.query('DELETE FROM rate_limits WHERE k = ?', [key.slice(0, 191)]);
  }

  /** Bounded: at most 1000 windows that ended before `before`. */
  async deleteExpired(before: number): Promise<void> {
    if (this.dialect.isMysql) {
      await this.ds.query('DELETE FROM rate_limits WHERE reset_at < ? LIMIT 1000', [before]);
    } else {
      await this.ds.query(
        'DELETE FROM rate_limits WHERE k IN (SELECT k FROM rate_limits WHERE reset_at < ? LIMIT 1000)',
        [before],
      );
    }
  }
}
