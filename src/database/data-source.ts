import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { HubConfig } from '../config/config.js';
import { ALL_ENTITIES, ALL_MIGRATIONS } from './registry.js';

export type DbKind = 'sqlite' | 'mysql';

export function dbKindOf(cfg: Pick<HubConfig, 'dbUrl'>): DbKind {
  return cfg.dbUrl && /^(mysql|mariadb):/.test(cfg.dbUrl) ? 'mysql' : 'sqlite';
}

/** DataSource options for the hub: embedded SQLite by default, MySQL/MariaDB when DB_URL says so. */
export function dataSourceOptions(cfg: Pick<HubConfig, 'dbUrl' | 'dataDir'>): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (dbKindOf(cfg) === 'mysql') {
    const url = cfg.dbUrl!.replace(/^mariadb:/, 'mysql:');
    return {
      ...common,
      type: 'mysql',
      connectorPackage: 'mysql2',
      url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: 20,
    } as DataSourceOptions;
  }
  let file: string;
  if (cfg.dbUrl?.startsWith('sqlite:')) {
    file = resolve(cfg.dbUrl.slice('sqlite:'.length).replace(/^\/\//, ''));
  } else {
    mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
    file = join(cfg.dataDir, 'hub.sqlite');
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  } as DataSourceOptions;
}

export function createDataSource(cfg: Pick<HubConfig, 'dbUrl' | 'dataDir'>): DataSource {
  return new DataSource(dataSourceOptions(cfg));
}
