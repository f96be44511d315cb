import { SchedulerRegistry } from '@nestjs/schedule';
import { after, every } from './periodic.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('every()', () => {
  test('a pass still running makes the next one skip, and errors reach onError', async () => {
    const registry = new SchedulerRegistry();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const errors: string[] = [];
    const job = every(
      registry,
      'test.slow',
      10,
      async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await tick(45);
        active--;
        if (runs === 1) throw new Error('first pass failed');
      },
      (e) => errors.push(e.message),
    );
    await tick(200);
    job.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxActive).toBe(1);
    expect(errors).toEqual(['first pass failed']);
    expect(registry.doesExist('interval', 'test.slow')).toBe(false);
  });

  test('a thrown non-Error value is reported as an Error', async () => {
    const registry = new SchedulerRegistry();
    const seen: unknown[] = [];
    const job = every(
      registry,
      'test.throws',
      5,
      () => {
        throw 'plain string';
      },
      (e) => seen.push(e),
    );
    await tick(30);
    job.stop();
    expect(seen[0]).toBeInstanceOf(Error);
    expect((seen[0] as Error).message).toBe('plain string');
  });
});

describe('after()', () => {
  test('a second call with the same name replaces the pending run', async () => {
    const registry = new SchedulerRegistry();
    const ran: string[] = [];
    after(
      registry,
      'test.once',
      20,
      () => ran.push('first'),
      () => undefined,
    );
    after(
      registry,
      'test.once',
      20,
      () => ran.push('second'),
      () => undefined,
    );
    await tick(60);
    expect(ran).toEqual(['second']);
  });
});
