import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, type TestHub } from './hub.js';

export { freePort };
import { relayHub } from './relay.js';
import { createTestDatabase, dropTestDatabase, testDbKind } from './db.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Cluster mode needs MySQL/MariaDB: cluster suites run with TEST_DB=mysql and are skipped on SQLite. */
export const describeCluster = testDbKind() === 'mysql' ? describe : describe.skip;

export interface TestCluster {
  hubs: TestHub[];
  dbUrl: string;
  dataDir: string;
  secret: string;
  /** the env every replica shares (add HUB_NODE_URL / HUB_PORT for one more) */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * `n` in-process hub replicas in cluster mode: one fresh MariaDB database, the machine's Redis
 * (keys apart by HUB_ID and database name), one data dir (the same signing keys, as replicas
 * must share), each its own port and HUB_NODE_URL.
 */
export async function startCluster(
  n: number,
  env: Record<string, string> = {},
  o: { now?: number } = {},
): Promise<TestCluster> {
  const dbName = `phlix_t_${randomBytes(6).toString('hex')}`;
  const dbUrl = await createTestDatabase(dbName);
  const dataDir = mkdtempSync(join(tmpdir(), 'phlix-cluster-'));
  const secret = randomBytes(24).toString('hex');
  const shared = {
    HUB_REDIS_URL: REDIS_URL,
    HUB_CLUSTER_SECRET: secret,
    HUB_ID: `hub-${dbName}`,
    ...env,
  };
  const hubs: TestHub[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    hubs.push(
      await relayHub(
        { ...shared, HUB_NODE_URL: `http://127.0.0.1:${port}`, HUB_RELAY_NODE: `node-${String.fromCharCode(97 + i)}` },
        { dbUrl, dataDir, keep: true, port, now: o.now },
      ),
    );
  }
  return {
    hubs,
    dbUrl,
    dataDir,
    secret,
    env: { ...shared, DB_URL: dbUrl, HUB_DATA_DIR: dataDir },
    async close() {
      for (const h of hubs) await h.close().catch(() => undefined);
      await dropTestDatabase(dbName);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
