interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  driverError?: { code?: string; message?: string };
}

/**
 * A unique or primary-key violation on either driver: MySQL/MariaDB `ER_DUP_ENTRY`
 * ("Duplicate entry"), SQLite `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY` ("UNIQUE constraint failed").
 * TypeORM's QueryFailedError carries the driver's code itself or under `driverError`.
 */
export function isUniqueViolation(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as DriverError;
  const codes = [err.code, err.driverError?.code];
  if (
    codes.some((c) => c === 'ER_DUP_ENTRY' || c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  ) {
    return true;
  }
  return /UNIQUE constraint failed|Duplicate entry/i.test(`${err.message ?? ''} ${err.driverError?.message ?? ''}`);
}
