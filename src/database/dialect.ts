import type { DbKind } from './data-source.js';

/** Small dialect helpers for the few statements that differ between SQLite and MySQL. */
export class DbDialect {
  constructor(public readonly kind: DbKind) {}

  get isMysql(): boolean {
    return this.kind === 'mysql';
  }

  /** Upsert clause: `INSERT ... <onConflict(['k'], 'col = excluded-expr')>` */
  upsertSuffix(conflictCols: string[], assignments: string): string {
    return this.isMysql
      ? `ON DUPLICATE KEY UPDATE ${assignments}`
      : `ON CONFLICT(${conflictCols.join(',')}) DO UPDATE SET ${assignments}`;
  }

  /** Reference to the proposed row's value inside an upsert assignment. */
  excluded(col: string): string {
    return this.isMysql ? `VALUES(${col})` : `excluded.${col}`;
  }

  /** `FOR UPDATE` where the database has row locks (SQLite serialises writers anyway). */
  get forUpdate(): string {
    return this.isMysql ? 'FOR UPDATE' : '';
  }
}
