import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { HubConfig } from '../config/config.js';
import { ALL_ENTITIES, ALL_MIGRATIONS } from './registry.js';

export type DbKind = 'sqlite' | 'mysql';

/** What the data source needs of the configuration. */
export type DbTarget = { db: Pick<HubConfig['db'], 'url'>; hub: Pick<HubConfig['hub'], 'dataDir'> };

export function dbKindOf(cfg: { db: Pick<HubConfig['db'], 'url'> }): DbKind {
  return cfg.db.url && /^(mysql|mariadb):/.test(cfg.db.url) ? 'mysql' : 'sqlite';
}

/** DataSource options for the hub: embedded SQLite by default, MySQL/MariaDB when DB_URL says so. */
export function dataSourceOptions(cfg: DbTarget): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (dbKindOf(cfg) === 'mysql') {
    const url = cfg.db.url!.replace(/^mariadb:/, 'mysql:');
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
  if (cfg.db.url?.startsWith('sqlite:')) {
    file = resolve(cfg.db.url.slice('sqlite:'.length).replace(/^\/\//, ''));
  } else {
    mkdirSync(cfg.hub.dataDir, { recursive: true, mode: 0o700 });
    file = join(cfg.hub.dataDir, 'hub.sqlite');
  }
  makePrivate(file);
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma('journal_mode = WAL');
      // SQLite gives -wal/-shm the database file's mode; tighten ones left by an older version too
      for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
      db.pragma('busy_timeout = 10000');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  } as DataSourceOptions;
}

/**
 * The SQLite file holds password hashes and token hashes: readable by the hub's user only (0600).
 * Created before the driver opens it (which would use 0644 under the usual umask); an existing
 * file is tightened. The -wal/-shm files SQLite creates inherit this mode.
 */
function makePrivate(file: string): void {
  if (file === ':memory:') return;
  try {
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  } catch {
    // e.g. a missing directory for sqlite:/path: the driver reports it when it opens the file
  }
}

export function createDataSource(cfg: DbTarget): DataSource {
  return new DataSource(dataSourceOptions(cfg));
}
