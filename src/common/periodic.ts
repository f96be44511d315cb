import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * The hub's periodic jobs (server reaper, tunnel re-check, audit retention, relay lease refresh,
 * usage flush, tunnel sweeps, channel pings) are held in @nestjs/schedule's SchedulerRegistry,
 * one per hub instance, where they can be listed and are cleared at shutdown. They are added
 * here rather than with `@Interval()` because the period often comes from the configuration,
 * the timer must not keep a process alive on its own (the CLI, a test), and each owner stops
 * its job in its own onModuleDestroy, while the database is still there.
 */
export interface PeriodicJob {
  stop(): void;
}

/**
 * Run `job` every `ms` (unref'd). A run that is still going when the next one is due makes that
 * one skip, so a slow database never piles passes up; a job that throws or rejects goes to `onError`.
 */
export function every(
  registry: SchedulerRegistry,
  name: string,
  ms: number,
  job: () => unknown,
  onError: (e: Error) => void,
): PeriodicJob {
  let running = false;
  const t = setInterval(() => {
    if (running) return;
    running = true;
    void Promise.resolve()
      .then(job)
      .catch((e: unknown) => onError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        running = false;
      });
  }, ms);
  t.unref();
  registry.addInterval(name, t);
  return {
    stop: () => {
      if (registry.doesExist('interval', name)) registry.deleteInterval(name);
      else clearInterval(t);
    },
  };
}

/** Run `job` once after `ms` (unref'd), replacing a pending run of the same name. */
export function after(
  registry: SchedulerRegistry,
  name: string,
  ms: number,
  job: () => unknown,
  onError: (e: Error) => void,
): PeriodicJob {
  if (registry.doesExist('timeout', name)) registry.deleteTimeout(name);
  const t = setTimeout(() => {
    if (registry.doesExist('timeout', name) && registry.getTimeout(name) === t) registry.deleteTimeout(name);
    void Promise.resolve().then(job).catch(onError);
  }, ms);
  t.unref();
  registry.addTimeout(name, t);
  return {
    stop: () => {
      if (registry.doesExist('timeout', name) && registry.getTimeout(name) === t) registry.deleteTimeout(name);
      else clearTimeout(t);
    },
  };
}
