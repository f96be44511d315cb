import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Abstract, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { HubConfig, loadConfig } from '../../src/config/config.js';
import { Clock, FakeClock } from '../../src/common/clock.js';
import { configureApp, fastifyAdapter } from '../../src/bootstrap.js';
import { createTestDatabase, dropTestDatabase, testDbKind } from './db.js';

export interface TestHub {
  app: NestFastifyApplication;
  /** supertest agent factory bound to the app's server */
  http: () => ReturnType<typeof request>;
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
  clock: FakeClock;
  cfg: HubConfig;
  ds: DataSource;
  dataDir: string;
  /** the DB_URL this hub uses (undefined = SQLite file in dataDir) */
  dbUrl: string | undefined;
  dbName: string | null;
  get<T>(t: Type<T> | Abstract<T> | string | symbol): T;
  close(): Promise<void>;
}

export interface TestHubOptions {
  env?: Record<string, string>;
  /** start the fake clock at this epoch-ms (default 2026-01-01) */
  now?: number;
  /** also listen on an ephemeral 127.0.0.1 port (needed for WebSocket tests) */
  listen?: boolean;
  /** with listen: this port instead of an ephemeral one (cluster tests know their node URLs up front) */
  port?: number;
  /** reuse an existing data dir / database (restart tests) */
  dataDir?: string;
  dbUrl?: string;
  /** replace these providers (or ports) with the given values, e.g. a fake RelayPresence */
  overrides?: [Type<unknown> | Abstract<unknown>, unknown][];
  /** extra modules to load with the hub (e.g. a test-only controller) */
  modules?: Type[];
  /** close() leaves the data dir and database in place (to boot a second hub on them) */
  keep?: boolean;
  /** close() removes the given dataDir / drops the given dbUrl database even though they were passed in */
  cleanup?: boolean;
}

/**
 * A real hub (the whole AppModule on Fastify) against a real database: SQLite file in a temp
 * dir, or a fresh MariaDB database when TEST_DB=mysql. Fake clock, quiet logs, generous
 * rate limits unless a test sets them.
 */
export async function createTestHub(opts: TestHubOptions = {}): Promise<TestHub> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'phlix-hub-test-'));
  let dbName: string | null =
    opts.cleanup && opts.dbUrl && /^(mysql|mariadb):/.test(opts.dbUrl)
      ? decodeURIComponent(new URL(opts.dbUrl).pathname.slice(1)) || null
      : null;
  let dbUrl = opts.dbUrl;
  if (!dbUrl && testDbKind() === 'mysql') {
    dbName = `phlix_t_${randomBytes(6).toString('hex')}`;
    dbUrl = await createTestDatabase(dbName);
  }
  const cfg = loadConfig({
    HUB_DATA_DIR: dataDir,
    HUB_LOG_LEVEL: 'silent',
    HUB_PUBLIC_URL: 'http://hub.test:8800',
    HUB_ID: 'hub-test',
    HUB_RELAY_PORT: '0',
    HUB_SIGNUP_RATE_LIMIT: '100000',
    HUB_LOGIN_MAX_FAILURES: '100000',
    HUB_LOGIN_IP_MAX_FAILURES: '100000',
    HUB_LOGIN_ACCOUNT_MAX_FAILURES: '100000',
    ...(dbUrl ? { DB_URL: dbUrl } : {}),
    ...opts.env,
  });
  const clock = new FakeClock(opts.now ?? Date.UTC(2026, 0, 1));
  const builder = Test.createTestingModule({ imports: [AppModule.register(opts.modules ?? [])] })
    .overrideProvider(HubConfig)
    .useValue(cfg)
    .overrideProvider(Clock)
    .useValue(clock);
  for (const [token, value] of opts.overrides ?? []) builder.overrideProvider(token).useValue(value);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(fastifyAdapter(cfg), { logger: false });
  await configureApp(app, cfg, { swaggerUi: false });
  if (opts.listen) {
    await app.listen(opts.port ?? 0, '127.0.0.1');
  } else {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }
  const server = app.getHttpServer();
  const ds = app.get(DataSource);
  return {
    app,
    server,
    clock,
    cfg,
    ds,
    dataDir,
    dbName,
    dbUrl,
    http: () => request(server),
    get: <T>(t: Type<T> | Abstract<T> | string | symbol) => app.get<T>(t as Type<T>, { strict: false }),
    async close() {
      await app.close();
      if (opts.keep) return;
      if (dbName) await dropTestDatabase(dbName);
      if (!opts.dataDir || opts.cleanup) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  refresh: string;
  auth: { Authorization: string };
}

/** Register a fresh user through the real API. */
export async function registerUser(hub: TestHub, name?: string): Promise<TestUser> {
  const username = name ?? `user${++seq}_${randomBytes(3).toString('hex')}`;
  const email = `${username}@example.test`;
  const password = 'correct horse battery';
  const r = await hub.http().post('/api/v1/auth/register').send({ username, email, password });
  if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
  return {
    id: r.body.user.id,
    username,
    email,
    password,
    token: r.body.access_token,
    refresh: r.body.refresh_token,
    auth: { Authorization: `Bearer ${r.body.access_token}` },
  };
}

/** The first registered user of a hub is its admin. */
export async function registerAdmin(hub: TestHub): Promise<TestUser> {
  const u = await registerUser(hub, `admin_${randomBytes(3).toString('hex')}`);
  const me = await hub.http().get('/api/v1/me').set(u.auth);
  if (!me.body.is_admin) throw new Error('registerAdmin: hub already had users; call it first');
  return u;
}

/** A port nobody listens on right now (for a hub process whose address must be known before it boots). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}
