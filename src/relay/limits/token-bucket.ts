/**
 * Byte token bucket for pacing (never for dropping): `take(n)` always succeeds and returns how
 * many ms the caller should pause before moving more, so a burst larger than the bucket simply
 * leaves debt that is paid back by waiting. Rate in bits per second; capacity = one second of
 * traffic (at least 64 KiB, so one relay frame always fits). Real time (performance.now), not
 * the injectable Clock: pacing is about wall-clock seconds.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private bytesPerMs: number;
  private capacity: number;

  constructor(
    bitsPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.bytesPerMs = bitsPerSecond / 8 / 1000;
    this.capacity = Math.max(bitsPerSecond / 8, 64 * 1024);
    this.tokens = this.capacity;
    this.last = now();
  }

  get rateBps(): number {
    return this.bytesPerMs * 8000;
  }

  /** Change the rate in place (keeps the current debt/credit, clamped to the new capacity). */
  setRate(bitsPerSecond: number): void {
    this.refill();
    this.bytesPerMs = bitsPerSecond / 8 / 1000;
    this.capacity = Math.max(bitsPerSecond / 8, 64 * 1024);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Spend `bytes`; returns the pause in ms until the bucket is out of debt (0 = go on). */
  take(bytes: number): number {
    this.refill();
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.bytesPerMs);
  }

  private refill(): void {
    const t = this.now();
    const dt = t - this.last;
    this.last = t;
    if (dt > 0) this.tokens = Math.min(this.capacity, this.tokens + dt * this.bytesPerMs);
  }
}
