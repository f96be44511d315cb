import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** Listeners, the public address, request limits and how the hub sits behind proxies. */
export interface HttpConfig {
  port: number;
  host: string;
  publicUrl: string;
  bodyLimitBytes: number;
  /** main and relay port timeouts (src/common/http-timeouts.ts) */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  wsHandshakeTimeoutMs: number;
  /** true when X-Forwarded-For is honoured at all (see trustProxyHops / trustProxyAddrs) */
  trustProxy: boolean;
  /** HUB_TRUST_PROXY=true|N: this many nearest hops are our proxies (0 = none) */
  trustProxyHops: number;
  /** HUB_TRUST_PROXY=addr,cidr,…: hops with these addresses are our proxies */
  trustProxyAddrs: string[];
  shutdownDrainMs: number;
}

/** Who this hub is and what it keeps on disk. */
export interface HubIdentityConfig {
  id: string;
  name: string;
  dataDir: string;
  /** the built web app (index.html + assets) served at / */
  webDir: string;
  termsOfService: string;
  privacyPolicy: string;
  contentPolicy: string;
}

export interface DatabaseConfig {
  /** undefined = embedded SQLite file under hub.dataDir */
  url?: string;
  runMigrations: boolean;
}

/** Tokens, sign-up and sign-in throttling. */
export interface AuthConfig {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  enrollmentTtlSeconds: number;
  keyRotationGraceSeconds: number;
  signupsEnabled: boolean;
  signupsPerIpPerHour: number;
  /** failed sign-ins per account+IP, per IP, per account (src/auth/login-throttle.ts), each per 15 minutes */
  loginMaxFailures: number;
  loginIpMaxFailures: number;
  loginAccountMaxFailures: number;
}

/** Tunnels, relayed streams and their limits (src/relay). 0 means unlimited / off for the limits. */
export interface RelayConfig {
  /** the dedicated tunnel listener for media servers; the main port's /api/v1/relay/tunnel stays when it is off */
  port: number;
  portEnabled: boolean;
  /** host[:port] of each relayed server's own web origin; `{server}` = the server id */
  hostTemplate: string;
  node: string;
  /** hub-wide cap on concurrent relay streams */
  maxSessions: number;
  heartbeatIntervalSeconds: number;
  idleTimeoutSeconds: number;
  reapIntervalSeconds: number;
  helloTimeoutSeconds: number;
  connectsPerIpPerMinute: number;
  drainGraceMs: number;
  ttfbTimeoutSeconds: number;
  streamIdleTimeoutSeconds: number;
  maxStreamSeconds: number;
  streamBufferBytes: number;
  /** plain tunnels: longest pause of a server's tunnel for one client that does not read */
  plainStallMs: number;
  streamMaxBitsPerSecond: number;
  userMaxStreams: number;
  serverMaxStreams: number;
  userQuotaInBytes: number;
  userQuotaOutBytes: number;
  userThrottleBitsPerSecond: number;
  requestsPerUserPerMinute: number;
  clientTokenTtlSeconds: number;
  clientConnectsPerIpPerMinute: number;
}

/** Several replicas behind one load balancer (docs/scaling.md); off unless HUB_REDIS_URL is set. */
export interface ClusterConfig {
  enabled: boolean;
  /** redis:// or rediss:// URL of the shared Redis */
  redisUrl?: string;
  /** this replica's internal address, reachable from the other replicas */
  nodeUrl?: string;
  /** shared by every replica; authenticates the internal links */
  secret?: string;
  /** unique per replica: HUB_RELAY_NODE, else host:port of HUB_NODE_URL */
  nodeId: string;
  /** how often a replica marks itself alive; dead after three missed beats */
  nodeHeartbeatSeconds: number;
}

/** Typed, validated hub configuration, grouped by concern. Built once at boot from the environment. */
export class HubConfig {
  http!: HttpConfig;
  hub!: HubIdentityConfig;
  db!: DatabaseConfig;
  auth!: AuthConfig;
  relay!: RelayConfig;
  log!: { level: string };
  /** token: Bearer required by /metrics; public: without a token, /metrics is open to every address, not only loopback */
  metrics!: { token?: string; public: boolean };
  audit!: { retentionDays: number };
  cluster!: ClusterConfig;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function str(env: Env, name: string, def: string, max = 2048): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (raw.length > max) throw new ConfigError(`${name} is longer than ${max} characters`);
  return raw;
}

/** host[:port] with exactly one `{server}` (the server id goes there; a DNS label of its own or part of one). */
function hostTemplate(name: string, raw: string): string {
  const v = raw.trim().toLowerCase();
  if (
    v.split('{server}').length !== 2 ||
    !/^[a-z0-9.{}-]+(:\d{1,5})?$/.test(v) ||
    v.replace('{server}', '').includes('{') ||
    v.startsWith('{server}:') ||
    v === '{server}'
  ) {
    throw new ConfigError(
      `${name} must be a host[:port] with one {server} in it, e.g. {server}.relay.example.com, got "${v}"`,
    );
  }
  return v;
}

function url(env: Env, name: string, def: string): string {
  const v = str(env, name, def);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${v}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL, got "${v}"`);
  }
  return v.replace(/\/+$/, '');
}

/**
 * HUB_TRUST_PROXY: false/0 = ignore X-Forwarded-For; true = one proxy hop (backward compatible);
 * N = N hops; else a comma-separated list of proxy addresses or CIDRs.
 */
function trustProxy(raw: string): { trustProxy: boolean; trustProxyHops: number; trustProxyAddrs: string[] } {
  const v = raw.trim().toLowerCase();
  if (['0', 'false', 'no', 'off'].includes(v)) return { trustProxy: false, trustProxyHops: 0, trustProxyAddrs: [] };
  if (['true', 'yes', 'on'].includes(v)) return { trustProxy: true, trustProxyHops: 1, trustProxyAddrs: [] };
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 32) throw new ConfigError(`HUB_TRUST_PROXY hop count must be between 0 and 32, got ${n}`);
    return { trustProxy: n > 0, trustProxyHops: n, trustProxyAddrs: [] };
  }
  const addrs = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const a of addrs) {
    const [ip, bits, extra] = a.split('/');
    const fam = isIP(ip);
    const max = fam === 6 ? 128 : 32;
    if (!fam || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max))) {
      throw new ConfigError(
        `HUB_TRUST_PROXY must be true, false, a hop count or a list of proxy addresses/CIDRs, got "${raw}"`,
      );
    }
  }
  if (!addrs.length) {
    throw new ConfigError(
      `HUB_TRUST_PROXY must be true, false, a hop count or a list of proxy addresses/CIDRs, got "${raw}"`,
    );
  }
  return { trustProxy: true, trustProxyHops: 0, trustProxyAddrs: addrs };
}

/** Parse and validate; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): HubConfig {
  const c = new HubConfig();
  const port = int(env, 'HUB_PORT', 8800, 0, 65535);
  const tp = trustProxy(str(env, 'HUB_TRUST_PROXY', 'false', 4000));
  c.http = {
    port,
    host: str(env, 'HUB_HOST', '0.0.0.0', 255),
    publicUrl: url(env, 'HUB_PUBLIC_URL', `http://localhost:${port}`),
    bodyLimitBytes: int(env, 'HUB_BODY_LIMIT', 1048576, 1024, 1073741824),
    headersTimeoutMs: int(env, 'HUB_HTTP_HEADERS_TIMEOUT', 30, 1, 3600) * 1000,
    requestTimeoutMs: int(env, 'HUB_HTTP_REQUEST_TIMEOUT', 60, 1, 3600) * 1000,
    idleTimeoutMs: int(env, 'HUB_HTTP_IDLE_TIMEOUT', 60, 1, 3600) * 1000,
    keepAliveTimeoutMs: int(env, 'HUB_HTTP_KEEPALIVE_TIMEOUT', 72, 1, 3600) * 1000,
    wsHandshakeTimeoutMs: int(env, 'HUB_WS_HANDSHAKE_TIMEOUT', 10, 1, 300) * 1000,
    trustProxy: tp.trustProxy,
    trustProxyHops: tp.trustProxyHops,
    trustProxyAddrs: tp.trustProxyAddrs,
    shutdownDrainMs: int(env, 'HUB_SHUTDOWN_DRAIN_MS', 10000, 0, 600000),
  };
  const hubId = str(env, 'HUB_ID', 'phlix-hub', 128);
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(hubId)) {
    throw new ConfigError(`HUB_ID may use letters, digits and . _ : - only, got "${hubId}"`);
  }
  c.hub = {
    id: hubId,
    name: str(env, 'HUB_NAME', 'Phlix Hub', 200),
    dataDir: resolve(str(env, 'HUB_DATA_DIR', './data')),
    webDir: resolve(str(env, 'HUB_WEB_DIR', './web/dist')),
    termsOfService: str(env, 'HUB_TERMS_OF_SERVICE', '', 20000),
    privacyPolicy: str(env, 'HUB_PRIVACY_POLICY', '', 20000),
    contentPolicy: str(env, 'HUB_CONTENT_POLICY', '', 20000),
  };
  c.db = { url: undefined, runMigrations: bool(env, 'DB_RUN_MIGRATIONS', true) };
  const db = env.DB_URL?.trim();
  if (db) {
    if (!/^(mysql|mariadb):\/\/[^/]+\/[A-Za-z0-9_$-]+(\?.*)?$/.test(db) && !/^sqlite:/.test(db)) {
      throw new ConfigError('DB_URL must look like mysql://user:pass@host:3306/dbname or sqlite:/path/file.db');
    }
    c.db.url = db;
  }
  c.auth = {
    accessTtlSeconds: int(env, 'HUB_JWT_ACCESS_TTL', 900, 60, 86400),
    refreshTtlSeconds: int(env, 'HUB_JWT_REFRESH_TTL', 2592000, 300, 31536000),
    enrollmentTtlSeconds: int(env, 'HUB_ENROLLMENT_TTL', 604800, 300, 31536000),
    keyRotationGraceSeconds: int(env, 'HUB_KEY_ROTATION_GRACE', 604800, 0, 31536000),
    signupsEnabled: bool(env, 'HUB_SIGNUPS_ENABLED', true),
    signupsPerIpPerHour: int(env, 'HUB_SIGNUP_RATE_LIMIT', 10, 1, 1000000),
    loginMaxFailures: int(env, 'HUB_LOGIN_MAX_FAILURES', 5, 1, 1000000),
    loginIpMaxFailures: int(env, 'HUB_LOGIN_IP_MAX_FAILURES', 100, 1, 1000000),
    loginAccountMaxFailures: int(env, 'HUB_LOGIN_ACCOUNT_MAX_FAILURES', 100, 1, 1000000),
  };
  const level = str(env, 'HUB_LOG_LEVEL', 'info', 10);
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    throw new ConfigError(`HUB_LOG_LEVEL must be one of fatal,error,warn,info,debug,trace,silent, got "${level}"`);
  }
  c.log = { level };
  c.metrics = { token: env.HUB_METRICS_TOKEN || undefined, public: bool(env, 'HUB_METRICS_PUBLIC', false) };
  c.audit = { retentionDays: int(env, 'HUB_AUDIT_RETENTION_DAYS', 365, 1, 36500) };
  c.relay = loadRelay(env, port);
  c.cluster = loadCluster(env, c.db.url, c.relay.node);
  return c;
}

function loadCluster(env: Env, dbUrl: string | undefined, relayNode: string): ClusterConfig {
  const redisUrl = env.HUB_REDIS_URL?.trim() || undefined;
  const base = {
    nodeHeartbeatSeconds: int(env, 'HUB_NODE_HEARTBEAT_INTERVAL', 5, 1, 60),
  };
  if (!redisUrl) return { enabled: false, nodeId: relayNode, ...base };
  if (!/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    throw new ConfigError('HUB_REDIS_URL must look like redis://host:6379 or rediss://user:pass@host:6380/0');
  }
  if (!dbUrl || !/^(mysql|mariadb):/.test(dbUrl)) {
    throw new ConfigError(
      'Cluster mode (HUB_REDIS_URL) needs a shared MySQL/MariaDB database (DB_URL=mysql://…): the embedded SQLite file belongs to one machine. Unset HUB_REDIS_URL to run a single hub on SQLite.',
    );
  }
  if (!env.HUB_NODE_URL?.trim()) {
    throw new ConfigError(
      "Cluster mode (HUB_REDIS_URL) needs HUB_NODE_URL: this replica's address as the other replicas reach it, e.g. http://10.0.0.5:8800",
    );
  }
  const nodeUrl = url(env, 'HUB_NODE_URL', '');
  const secret = env.HUB_CLUSTER_SECRET ?? '';
  if (secret.length < 32 || secret.length > 512) {
    throw new ConfigError(
      'Cluster mode (HUB_REDIS_URL) needs HUB_CLUSTER_SECRET: the same random string of at least 32 characters on every replica',
    );
  }
  const u = new URL(nodeUrl);
  const nodeId = (relayNode || `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`).slice(0, 128);
  return { enabled: true, redisUrl, nodeUrl, secret, nodeId, ...base };
}

function loadRelay(env: Env, httpPort: number): RelayConfig {
  const heartbeatIntervalSeconds = int(env, 'HUB_RELAY_HEARTBEAT_INTERVAL', 30, 1, 300);
  const idleTimeoutSeconds = int(env, 'HUB_RELAY_IDLE_TIMEOUT', 90, 2, 3600);
  if (idleTimeoutSeconds <= heartbeatIntervalSeconds) {
    throw new ConfigError('HUB_RELAY_IDLE_TIMEOUT must be greater than HUB_RELAY_HEARTBEAT_INTERVAL');
  }
  const PIB = 1125899906842624;
  // fair share of HUB_MAX_RELAY_SESSIONS: by default one user may hold a tenth of it and one server a
  // quarter (never less than 8 / 16 streams, nor more than the hub-wide cap); 0 = no cap
  const hubMax = int(env, 'HUB_MAX_RELAY_SESSIONS', 1000, 1, 1000000);
  return {
    port: int(env, 'HUB_RELAY_PORT', 8802, 0, 65535),
    portEnabled: bool(env, 'HUB_RELAY_PORT_ENABLED', true),
    hostTemplate: hostTemplate(
      'HUB_RELAY_HOST_TEMPLATE',
      str(env, 'HUB_RELAY_HOST_TEMPLATE', `{server}.localhost:${httpPort}`, 253),
    ),
    node: str(env, 'HUB_RELAY_NODE', '', 128),
    maxSessions: hubMax,
    heartbeatIntervalSeconds,
    idleTimeoutSeconds,
    reapIntervalSeconds: int(env, 'HUB_RELAY_REAP_INTERVAL', 60, 1, 3600),
    helloTimeoutSeconds: int(env, 'HUB_RELAY_HELLO_TIMEOUT', 10, 1, 300),
    connectsPerIpPerMinute: int(env, 'HUB_RELAY_CONNECT_LIMIT', 10, 1, 1000000),
    drainGraceMs: int(env, 'HUB_RELAY_DRAIN_GRACE_MS', 5000, 0, 600000),
    ttfbTimeoutSeconds: int(env, 'HUB_RELAY_TTFB_TIMEOUT', 30, 1, 3600),
    streamIdleTimeoutSeconds: int(env, 'HUB_RELAY_STREAM_IDLE_TIMEOUT', 60, 1, 3600),
    maxStreamSeconds: int(env, 'HUB_RELAY_MAX_STREAM_SECONDS', 21600, 0, 604800),
    streamBufferBytes: int(env, 'HUB_RELAY_STREAM_BUFFER', 1048576, 65536, 67108864),
    plainStallMs: int(env, 'HUB_RELAY_PLAIN_STALL_MS', 1500, 100, 2000),
    streamMaxBitsPerSecond: int(env, 'HUB_RELAY_STREAM_MAX_BPS', 0, 0, 100_000_000_000),
    userMaxStreams: int(
      env,
      'HUB_RELAY_USER_MAX_STREAMS',
      Math.min(1000, Math.max(Math.min(hubMax, 8), Math.ceil(hubMax / 10))),
      0,
      1000,
    ),
    serverMaxStreams: int(
      env,
      'HUB_RELAY_SERVER_MAX_STREAMS',
      Math.max(Math.min(hubMax, 16), Math.ceil(hubMax / 4)),
      0,
      1_000_000,
    ),
    userQuotaInBytes: int(env, 'HUB_RELAY_USER_QUOTA_IN', 0, 0, PIB),
    userQuotaOutBytes: int(env, 'HUB_RELAY_USER_QUOTA_OUT', 0, 0, PIB),
    userThrottleBitsPerSecond: int(env, 'HUB_RELAY_USER_THROTTLE_BPS', 0, 0, 100_000_000_000),
    requestsPerUserPerMinute: int(env, 'HUB_RELAY_REQUEST_LIMIT', 6000, 0, 1000000),
    clientTokenTtlSeconds: int(env, 'HUB_RELAY_CLIENT_TOKEN_TTL', 3600, 60, 86400),
    clientConnectsPerIpPerMinute: int(env, 'HUB_RELAY_CLIENT_CONNECT_LIMIT', 30, 1, 1000000),
  };
}
