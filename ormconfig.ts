/**
 * The DataSource the TypeORM CLI uses: the hub's own (src/database/data-source.ts), built from the
 * same environment as the server (.env and HUB_DATA_DIR / DB_URL), with the same entities and
 * migrations. It is NOT compiled by `npm run build` (tsconfig.build.json has rootDir src).
 *
 * To apply migrations you do not need it: `phlix-hub migrate` (or `node dist/cli.js migrate`).
 * For other TypeORM CLI commands, compile it once next to the sources and point the CLI at it:
 *
 *   npx tsc ormconfig.ts --outDir dist/ormconfig --module nodenext --moduleResolution nodenext \
 *     --target es2022 --experimentalDecorators --emitDecoratorMetadata --skipLibCheck
 *   npx typeorm migration:show -d dist/ormconfig/ormconfig.js
 *
 * New migrations are written by hand in src/<feature>/migrations/ (see docs/dev/CONVENTIONS.md);
 * never use `schema:sync` / `synchronize`.
 */
import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from './src/config/config.js';
import { createDataSource } from './src/database/data-source.js';

loadDotenv({ quiet: true });

const dataSource = createDataSource(loadConfig(process.env));
export default dataSource;
