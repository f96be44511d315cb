import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HubConfig } from '../config/config.js';
import { dataSourceOptions, dbKindOf } from './data-source.js';
import { DbDialect } from './dialect.js';
import { serialiseSqlite } from './sqlite-serial.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [HubConfig],
      useFactory: (cfg: HubConfig) => dataSourceOptions(cfg),
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
        if (cfg.dbRunMigrations) {
          const ran = await ds.runMigrations({ transaction: 'each' });
          if (ran.length) new Logger('Database').log(`applied ${ran.length} migration(s)`);
        }
        return new DbDialect(dbKindOf(cfg));
      },
    },
  ],
  exports: [DbDialect],
})
export class DatabaseModule {}
