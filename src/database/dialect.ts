import type { DbKind } from './data-source.js';

/** Small dialect helpers for the few statements that differ between SQLite and MySQL. */
export class DbDialect {
  constructor(public readonly kind: DbKind) {}

  get isMysql(): boolean {
    return this.kind === 'mysql';
  }

  /** Upsert clause: `INSERT ... <onConflict(['k'], 'col = excluded-expr')>` */
  upsertSuffix(conflictCols: string[], assignments: string): string {
    return this.isMysql ? `ON DUPLICATE KEY UPDATE ${assignments}` : `ON CONFLICT(${conflictCols.join(',')}) DO UPDATE SET ${assignments}`;
  }

  /** Reference to the proposed row's value inside an upsert assignment. */
  excluded(col: string): string {
    return this.isMysql ? `VALUES(${col})` : `excluded.${col}`;
  }

  /** `FOR UPDATE` where the database has row locks (SQLite serialises writers anyway). */
  get forUpdate(): string {
    return this.isMysql ? 'FOR UPDATE' : '';
  }

  /** Number of rows changed by an UPDATE/DELETE run through DataSource.query / QueryRunner.query. */
  affected(result: unknown): number {
    if (Array.isArray(result)) {
      // TypeORM returns [rows, affected] for UPDATE/DELETE on some drivers
      if (typeof result[1] === 'number') return result[1];
      const first = result[0] as { affectedRows?: number } | undefined;
      if (first && typeof first.affectedRows === 'number') return first.affectedRows;
    }
    const r = result as { affectedRows?: number; changes?: number; affected?: number } | undefined;
    return r?.affectedRows ?? r?.changes ?? r?.affected ?? 0;
  }
}
