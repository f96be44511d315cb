import { Injectable } from '@nestjs/common';
import { Clock } from './clock.js';
import { RateLimitsRepository, type RateWindow } from './rate-limits.repository.js';
import { rateLimited } from './hub-error.js';
import type { ErrorCode } from './error-codes.js';

/**
 * Fixed-window counters held in the database (table rate_limits), so limits survive
 * restarts and hold across every hub process. One atomic upsert per hit.
 */
@Injectable()
export class RateLimitService {
  private lastSweep = 0;

  constructor(
    private readonly windows: RateLimitsRepository,
    private readonly clock: Clock,
  ) {}

  /** Count one event; returns the count in the current window and when it resets (ms). */
  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetAt: number }> {
    const now = this.clock.now();
    const reset = now + windowSeconds * 1000;
    await this.windows.increment(key, reset, now);
    const row = await this.windows.find(key);
    void this.sweep(now);
    return { count: row?.count ?? 1, resetAt: row?.resetAt ?? reset };
  }

  /** Count one event and throw 429 (with Retry-After) when over the limit. */
  async consume(key: string, limit: number, windowSeconds: number, code: ErrorCode = 'rate.limited'): Promise<void> {
    const { count, resetAt } = await this.hit(key, windowSeconds);
    if (count > limit) throw rateLimited(code, (resetAt - this.clock.now()) / 1000);
  }

  /** Throw 429 if the key has already reached the limit (does not count). */
  async check(key: string, limit: number, code: ErrorCode = 'rate.limited'): Promise<void> {
    const now = this.clock.now();
    const row = await this.windows.find(key);
    if (row && row.resetAt > now && row.count >= limit) throw rateLimited(code, (row.resetAt - now) / 1000);
  }

  /** The live window of a key, or null (absent or over). Does not count. */
  async peek(key: string): Promise<RateWindow | null> {
    const row = await this.windows.find(key);
    return row && row.resetAt > this.clock.now() ? row : null;
  }

  /** Take back one counted event (e.g. an attempt that turned out to be a success). */
  async undo(key: string): Promise<void> {
    await this.windows.decrement(key);
  }

  async reset(key: string): Promise<void> {
    await this.windows.delete(key);
  }

  /** Bounded clean-up of expired windows, at most once a minute per process. */
  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    try {
      await this.windows.deleteExpired(now);
    } catch {
      /* best effort */
    }
  }
}
