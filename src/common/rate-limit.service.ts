import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from './clock.js';
import { DbDialect } from '../database/dialect.js';
import { rateLimited } from './hub-error.js';
import type { ErrorCode } from './error-codes.js';

/**
 * Fixed-window counters held in the database (table rate_limits), so limits survive
 * restarts and hold across every hub process. One atomic upsert per hit.
 */
@Injectable()
export class RateLimitService {
  private lastSweep = 0;

  constructor(private readonly ds: DataSource, private readonly dialect: DbDialect, private readonly clock: Clock) {}

  /** Count one event; returns the count in the current window and when it resets (ms). */
  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetAt: number }> {
    const now = this.clock.now();
    const reset = now + windowSeconds * 1000;
    const k = key.slice(0, 191);
    const assign = this.dialect.isMysql
      ? 'count = IF(reset_at <= ?, 1, count + 1), reset_at = IF(reset_at <= ?, VALUES(reset_at), reset_at)'
      : 'count = CASE WHEN reset_at <= ? THEN 1 ELSE count + 1 END, reset_at = CASE WHEN reset_at <= ? THEN excluded.reset_at ELSE reset_at END';
    await this.ds.query(
      `INSERT INTO rate_limits (k, count, reset_at) VALUES (?, 1, ?) ${this.dialect.upsertSuffix(['k'], assign)}`,
      [k, reset, now, now],
    );
    const rows: { count: number | string; reset_at: number | string }[] = await this.ds.query('SELECT count, reset_at FROM rate_limits WHERE k = ?', [k]);
    void this.sweep(now);
    return { count: Number(rows[0]?.count ?? 1), resetAt: Number(rows[0]?.reset_at ?? reset) };
  }

  /** Count one event and throw 429 (with Retry-After) when over the limit. */
  async consume(key: string, limit: number, windowSeconds: number, code: ErrorCode = 'rate.limited'): Promise<void> {
    const { count, resetAt } = await this.hit(key, windowSeconds);
    if (count > limit) throw rateLimited(code, (resetAt - this.clock.now()) / 1000);
  }

  /** Throw 429 if the key has already reached the limit (does not count). */
  async check(key: string, limit: number, code: ErrorCode = 'rate.limited'): Promise<void> {
    const now = this.clock.now();
    const rows: { count: number | string; reset_at: number | string }[] = await this.ds.query('SELECT count, reset_at FROM rate_limits WHERE k = ?', [key.slice(0, 191)]);
    if (rows.length && Number(rows[0].reset_at) > now && Number(rows[0].count) >= limit) {
      throw rateLimited(code, (Number(rows[0].reset_at) - now) / 1000);
    }
  }

  /** Take back one counted event (e.g. an attempt that turned out to be a success). */
  async undo(key: string): Promise<void> {
    await this.ds.query('UPDATE rate_limits SET count = count - 1 WHERE k = ? AND count > 0', [key.slice(0, 191)]);
  }

  async reset(key: string): Promise<void> {
    await this.ds.query('DELETE FROM rate_limits WHERE k = ?', [key.slice(0, 191)]);
  }

  /** Bounded clean-up of expired windows, at most once a minute per process. */
  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    try {
      if (this.dialect.isMysql) await this.ds.query('DELETE FROM rate_limits WHERE reset_at < ? LIMIT 1000', [now]);
      else await this.ds.query('DELETE FROM rate_limits WHERE k IN (SELECT k FROM rate_limits WHERE reset_at < ? LIMIT 1000)', [now]);
    } catch {
      /* best effort */
    }
  }
}
