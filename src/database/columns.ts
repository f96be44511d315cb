import type { ValueTransformer } from 'typeorm';
import { TableColumnOptions } from 'typeorm';

/** bigint columns come back as strings from some drivers; we keep epoch-ms numbers in code. */
export const bigintNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

/** Dialect-neutral column builders for migrations (same migrations run on SQLite and MySQL). */
export const col = {
  id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true }),
  uuid: (name: string, nullable = false): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: '36',
    isNullable: nullable,
  }),
  str: (name: string, length: number, nullable = false): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    isNullable: nullable,
  }),
  text: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  int: (name: string, def?: number, nullable = false): TableColumnOptions => ({
    name,
    type: 'int',
    isNullable: nullable,
    ...(def !== undefined ? { default: def } : {}),
  }),
  /** epoch milliseconds */
  ts: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable }),
  big: (name: string, def = 0): TableColumnOptions => ({ name, type: 'bigint', default: def }),
  bool: (name: string, def = false): TableColumnOptions => ({ name, type: 'boolean', default: def ? 1 : 0 }),
};
