/** MySQL deadlock victim / lock wait timeout (the statement was rolled back whole): safe to run it again. */
export function isLockConflict(e: unknown): boolean {
  const err = e as { errno?: number; code?: string; driverError?: { errno?: number } };
  const errno = err?.errno ?? err?.driverError?.errno;
  return errno === 1213 || errno === 1205 || err?.code === 'ER_LOCK_DEADLOCK' || err?.code === 'ER_LOCK_WAIT_TIMEOUT';
}

/** Run one self-contained statement, retrying a few times when InnoDB picks it as a deadlock victim. */
export async function retryOnLockConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts - 1 || !isLockConflict(e)) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 45)));
    }
  }
}
