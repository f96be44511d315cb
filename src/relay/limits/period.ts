/** Billing period of relay usage: the UTC calendar month. */
export interface Period {
  /** 'YYYY-MM' */
  key: string;
  /** first ms of the month (UTC) */
  start: number;
  /** first ms of the next month (UTC) */
  end: number;
}

export function periodOf(ms: number): Period {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { key: `${y}-${String(m + 1).padStart(2, '0')}`, start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
}

/** 'YYYY-MM' → Period, or null when malformed. */
export function parsePeriod(key: string): Period | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (!m) return null;
  return periodOf(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}

/** Cheap repeated lookups on the hot path: recomputes only when `now` leaves the cached month. */
export class PeriodCache {
  private cur: Period | null = null;

  at(ms: number): Period {
    const c = this.cur;
    if (c && ms >= c.start && ms < c.end) return c;
    return (this.cur = periodOf(ms));
  }
}
