import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  test('defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      http: { port: 8800, host: '0.0.0.0', publicUrl: 'http://localhost:8800', trustProxy: false },
      hub: { id: 'phlix-hub', name: 'Phlix Hub', dataDir: resolve('./data') },
      db: { runMigrations: true },
      auth: {
        accessTtlSeconds: 900,
        refreshTtlSeconds: 2592000,
        signupsEnabled: true,
        keyRotationGraceSeconds: 604800,
      },
      log: { level: 'info' },
    });
    expect(c.db.url).toBeUndefined();
    expect(c.metrics.token).toBeUndefined();
  });

  test('values are parsed, trimmed and normalised', () => {
    const c = loadConfig({
      HUB_PORT: ' 9000 ',
      HUB_PUBLIC_URL: 'https://hub.example.com/',
      HUB_SIGNUPS_ENABLED: 'off',
      HUB_TRUST_PROXY: 'YES',
      DB_URL: ' mysql://hub:s3cret@db:3306/phlix ',
      HUB_DATA_DIR: '/var/lib/phlix',
      HUB_JWT_ACCESS_TTL: '60',
      HUB_ID: 'hub.example:1',
    });
    expect(c).toMatchObject({
      http: { port: 9000, publicUrl: 'https://hub.example.com', trustProxy: true },
      auth: { signupsEnabled: false, accessTtlSeconds: 60 },
      db: { url: 'mysql://hub:s3cret@db:3306/phlix' },
      hub: { dataDir: '/var/lib/phlix', id: 'hub.example:1' },
    });
    expect(loadConfig({ HUB_PORT: '9001' }).http.publicUrl).toBe('http://localhost:9001');
    expect(loadConfig({ DB_URL: 'mariadb://root@127.0.0.1/x' }).db.url).toBe('mariadb://root@127.0.0.1/x');
    expect(loadConfig({ DB_URL: 'sqlite:/tmp/hub.db' }).db.url).toBe('sqlite:/tmp/hub.db');
    expect(loadConfig({ DB_URL: '' }).db.url).toBeUndefined();
  });

  test.each([
    ['HUB_PORT', 'abc'],
    ['HUB_PORT', '70000'],
    ['HUB_PORT', '-1'],
    ['HUB_PORT', '80.5'],
    ['HUB_RELAY_PORT', 'x'],
    ['HUB_PUBLIC_URL', 'not a url'],
    ['HUB_PUBLIC_URL', 'ftp://hub.example.com'],
    ['HUB_PUBLIC_URL', '/relative'],
    ['HUB_ID', 'has space'],
    ['HUB_ID', '-leading'],
    ['HUB_ID', 'x'.repeat(129)],
    ['HUB_NAME', 'n'.repeat(201)],
    ['DB_URL', 'postgres://u@h/db'],
    ['DB_URL', 'mysql://host-without-db'],
    ['DB_URL', 'mysql://u@h:3306/'],
    ['DB_RUN_MIGRATIONS', 'maybe'],
    ['HUB_JWT_ACCESS_TTL', '59'],
    ['HUB_JWT_ACCESS_TTL', '86401'],
    ['HUB_JWT_ACCESS_TTL', '15m'],
    ['HUB_JWT_REFRESH_TTL', '100'],
    ['HUB_ENROLLMENT_TTL', '0'],
    ['HUB_SIGNUPS_ENABLED', 'sometimes'],
    ['HUB_TRUST_PROXY', 'sometimes'],
    ['HUB_TRUST_PROXY', '10.0.0.0/40'],
    ['HUB_HTTP_HEADERS_TIMEOUT', '0'],
    ['HUB_WS_HANDSHAKE_TIMEOUT', '5s'],
    ['HUB_METRICS_PUBLIC', 'maybe'],
    ['HUB_KEY_ROTATION_GRACE', '-5'],
    ['HUB_LOG_LEVEL', 'loud'],
    ['HUB_LOG_LEVEL', 'verbose-and-more'],
    ['HUB_BODY_LIMIT', '10'],
    ['HUB_MAX_RELAY_SESSIONS', '0'],
    ['HUB_LOGIN_MAX_FAILURES', '0'],
    ['HUB_LOGIN_IP_MAX_FAILURES', 'many'],
    ['HUB_LOGIN_ACCOUNT_MAX_FAILURES', '0'],
    ['HUB_SIGNUP_RATE_LIMIT', '0'],
    ['HUB_AUDIT_RETENTION_DAYS', '0'],
    ['HUB_SHUTDOWN_DRAIN_MS', '600001'],
    ['HUB_TERMS_OF_SERVICE', 't'.repeat(20001)],
  ])('%s=%s → ConfigError naming the variable', (name, value) => {
    let err: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(name);
    expect((err as Error).message).not.toContain('\n');
  });

  test('DB_URL errors never echo the password', () => {
    try {
      loadConfig({ DB_URL: 'postgres://u:topsecret@h/db' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });
});

describe('cluster mode settings', () => {
  const secret = 'x'.repeat(32);
  const base = {
    HUB_REDIS_URL: 'redis://127.0.0.1:6379',
    DB_URL: 'mysql://root@127.0.0.1:3306/hub',
    HUB_NODE_URL: 'http://10.0.0.5:8800',
    HUB_CLUSTER_SECRET: secret,
  };
  const fails = (env: Record<string, string | undefined>, text: string) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(text);
  };

  test('off without HUB_REDIS_URL, whatever else is set', () => {
    const c = loadConfig({ HUB_NODE_URL: 'http://x:1', HUB_CLUSTER_SECRET: 'short' });
    expect(c.cluster.enabled).toBe(false);
  });

  test('on with Redis, MySQL, a node URL and a long secret; the node id comes from the node URL', () => {
    const c = loadConfig(base);
    expect(c.cluster).toMatchObject({ enabled: true, nodeUrl: 'http://10.0.0.5:8800', nodeId: '10.0.0.5:8800' });
    expect(loadConfig({ ...base, HUB_RELAY_NODE: 'hub-b' }).cluster.nodeId).toBe('hub-b');
  });

  test('the embedded SQLite database refuses cluster mode, saying why', () => {
    fails({ ...base, DB_URL: undefined }, 'needs a shared MySQL/MariaDB database');
    fails({ ...base, DB_URL: 'sqlite:/tmp/hub.db' }, 'needs a shared MySQL/MariaDB database');
  });

  test('each missing or bad piece is named', () => {
    fails({ ...base, HUB_NODE_URL: undefined }, 'HUB_NODE_URL');
    fails({ ...base, HUB_NODE_URL: 'ftp://x' }, 'HUB_NODE_URL');
    fails({ ...base, HUB_CLUSTER_SECRET: 'short' }, 'HUB_CLUSTER_SECRET');
    fails({ ...base, HUB_REDIS_URL: 'http://redis' }, 'HUB_REDIS_URL');
  });

  test('the secret never appears in an error', () => {
    try {
      loadConfig({ ...base, HUB_CLUSTER_SECRET: 'topsecret', HUB_NODE_URL: 'bad' });
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });
});
