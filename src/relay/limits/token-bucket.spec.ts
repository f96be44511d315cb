import { TokenBucket } from './token-bucket.js';
import { parsePeriod, periodOf, PeriodCache } from './period.js';

describe('TokenBucket', () => {
  test('starts with one second of burst, then asks for pauses that pay the debt back', () => {
    let t = 0;
    const b = new TokenBucket(8_000_000, () => t); // 1 MB/s
    expect(b.take(1_000_000)).toBe(0);
    expect(b.take(500_000)).toBe(500); // 0.5 MB of debt at 1 MB/ms*1000
    t += 500;
    expect(b.take(0)).toBe(0);
    t += 10_000;
    expect(b.take(1_000_000)).toBe(0); // refill is capped at capacity
    expect(b.take(1)).toBe(1);
  });

  test('a single oversized chunk leaves debt; the capacity is at least 64 KiB', () => {
    const t = 0;
    const b = new TokenBucket(8_000, () => t); // 1 kB/s → capacity 64 KiB
    expect(b.take(65_536)).toBe(0);
    expect(b.take(1000)).toBe(1000);
  });

  test('setRate keeps the debt and changes the pace', () => {
    const t = 0;
    const b = new TokenBucket(8_000_000, () => t);
    b.take(2_000_000);
    b.setRate(16_000_000);
    expect(b.take(0)).toBe(500);
    expect(b.rateBps).toBe(16_000_000);
  });
});

describe('periods', () => {
  test('UTC calendar months, including the year boundary', () => {
    expect(periodOf(Date.UTC(2026, 0, 31, 23, 59, 59, 999))).toEqual({
      key: '2026-01',
      start: Date.UTC(2026, 0, 1),
      end: Date.UTC(2026, 1, 1),
    });
    expect(periodOf(Date.UTC(2026, 11, 15)).end).toBe(Date.UTC(2027, 0, 1));
    expect(parsePeriod('2026-12')?.start).toBe(Date.UTC(2026, 11, 1));
    expect(parsePeriod('2026-13')).toBeNull();
    expect(parsePeriod('26-01')).toBeNull();
  });

  test('the cache recomputes only at a month boundary', () => {
    const c = new PeriodCache();
    const a = c.at(Date.UTC(2026, 0, 5));
    expect(c.at(Date.UTC(2026, 0, 20))).toBe(a);
    expect(c.at(Date.UTC(2026, 1, 1)).key).toBe('2026-02');
  });
});
