import { Backoff, Sleeper } from './backoff.js';

test('exponential with jitter, capped, resettable', () => {
  const lo = new Backoff(1000, 8000, () => 0);
  const hi = new Backoff(1000, 8000, () => 1);
  expect([1, 2, 3, 4, 5, 6].map(() => hi.next())).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  expect([1, 2, 3].map(() => lo.next())).toEqual([500, 500, 500]);
  hi.reset();
  expect(hi.next()).toBe(1000);
});

test('a stopped sleeper does not sleep', async () => {
  const s = new Sleeper();
  const t0 = Date.now();
  const p = s.sleep(10_000);
  s.stop();
  await p;
  await s.sleep(10_000);
  expect(Date.now() - t0).toBeLessThan(1000);
});
