import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HubConfig } from '../config/config.js';
import { dataSourceOptions, dbKindOf } from './data-source.js';
import { DbDialect } from './dialect.js';
import { serialiseSqlite } from './sqlite-serial.js';

/** What the start-up migration run did in this process (the `migrate` command reports it). */
export const migrationLog: { applied: string[] } = { applied: [] };

/**
 * Apply pending migrations. On MySQL/MariaDB a named lock (GET_LOCK, held by one session, named
 * after the database) keeps two hub processes (or the server and `phlix-hub migrate`) from running
 * them on one database at the same time.
 */
const MIGRATION_LOCK = "LEFT(CONCAT('phlix_hub_migrations:', DATABASE()), 64)";

export async function runMigrationsLocked(ds: DataSource): Promise<string[]> {
  const mysql = ds.options.type === 'mysql' || ds.options.type === 'mariadb';
  const qr = mysql ? ds.createQueryRunner() : null;
  try {
    if (qr) {
      // the lock is named after the database: hubs on other databases of the same server never wait on it
      const rows: { got: number | string | null }[] = await qr.query(`SELECT GET_LOCK(${MIGRATION_LOCK}, 120) AS got`);
      if (Number(rows[0]?.got) !== 1) {
        throw new Error('timed out waiting for another process to finish migrating the database');
      }
    }
    const ran = await ds.runMigrations({ transaction: 'each' });
    const names = ran.map((m) => m.name);
    migrationLog.applied.push(...names);
    if (names.length) new Logger('Database').log(`applied ${names.length} migration(s)`);
    return names;
  } finally {
    if (qr) {
      await qr.query(`SELECT RELEASE_LOCK(${MIGRATION_LOCK})`).catch(() => undefined);
      await qr.release();
    }
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [HubConfig],
      // A database that is down at start-up: retry for ~10 s, then fail start-up with its error.
      useFactory: (cfg: HubConfig) => ({ ...dataSourceOptions(cfg), retryAttempts: 5, retryDelay: 2000 }),
      dataSourceFactory: async (opts) => {
        const ds = new DataSource(opts!);
        await ds.initialize();
        if (ds.options.type === 'better-sqlite3') serialiseSqlite(ds);
        return ds;
      },
    }),
  ],
  providers: [
    {
      provide: DbDialect,
      inject: [HubConfig, DataSource],
      useFactory: async (cfg: HubConfig, ds: DataSource) => {
        if (cfg.db.runMigrations) await runMigrationsLocked(ds);
        return new DbDialect(dbKindOf(cfg));
      },
    },
  ],
  exports: [DbDialect],
})
export class DatabaseModule {}
