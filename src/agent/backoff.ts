/**
 * Reconnect delays: exponential with "full jitter" (a random delay in [base/2, min(cap, base·2^n)]),
 * so a hub restart is not met by every agent at the same instant.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const floor = Math.min(this.baseMs / 2, ceiling);
    return Math.round(floor + this.random() * (ceiling - floor));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** A sleep that `wake()` ends early; after `stop()` every sleep returns at once. */
export class Sleeper {
  private wakeFns = new Set<() => void>();
  private stopped = false;

  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((res) => {
      const done = () => {
        clearTimeout(t);
        this.wakeFns.delete(done);
        res();
      };
      const t = setTimeout(done, ms);
      this.wakeFns.add(done);
    });
  }

  wake(): void {
    for (const f of [...this.wakeFns]) f();
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }
}
