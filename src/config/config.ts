import { resolve } from 'node:path';

/** Typed, validated hub configuration. Built once at boot from the environment. */
export class HubConfig {
  port!: number;
  host!: string;
  relayPort!: number;
  publicUrl!: string;
  hubId!: string;
  hubName!: string;
  dataDir!: string;
  /** the built web app (index.html + assets) served at / */
  webDir!: string;
  /** undefined = embedded SQLite file under dataDir */
  dbUrl?: string;
  dbRunMigrations!: boolean;
  accessTtl!: number;
  refreshTtl!: number;
  enrollmentTtl!: number;
  signupsEnabled!: boolean;
  keyRotationGrace!: number;
  trustProxy!: boolean;
  logLevel!: string;
  metricsToken?: string;
  maxRelaySessions!: number;
  bodyLimit!: number;
  termsOfService!: string;
  privacyPolicy!: string;
  contentPolicy!: string;
  shutdownDrainMs!: number;
  auditRetentionDays!: number;
  loginMaxFailures!: number;
  loginIpMaxFailures!: number;
  signupRateLimit!: number;
  // relay (src/relay): tunnel listener, liveness, proxy timeouts, back-pressure
  relayPortEnabled!: boolean;
  relayNode!: string;
  relayHeartbeatInterval!: number;
  relayIdleTimeout!: number;
  relayReapInterval!: number;
  relayHelloTimeout!: number;
  relayConnectLimit!: number;
  relayDrainGraceMs!: number;
  relayTtfbTimeout!: number;
  relayStreamIdleTimeout!: number;
  relayMaxStreamSeconds!: number;
  relayStreamBuffer!: number;
  // relay limits and raw client channels (src/relay/limits, src/relay/client)
  relayStreamMaxBps!: number;
  relayUserMaxStreams!: number;
  relayUserQuotaIn!: number;
  relayUserQuotaOut!: number;
  relayUserThrottleBps!: number;
  relayRequestLimit!: number;
  relayClientTokenTtl!: number;
  relayClientConnectLimit!: number;
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

/** Parse and validate; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): HubConfig {
  const c = new HubConfig();
  c.port = int(env, 'HUB_PORT', 8800, 0, 65535);
  c.host = str(env, 'HUB_HOST', '0.0.0.0', 255);
  c.relayPort = int(env, 'HUB_RELAY_PORT', 8802, 0, 65535);
  c.publicUrl = url(env, 'HUB_PUBLIC_URL', `http://localhost:${c.port}`);
  c.hubId = str(env, 'HUB_ID', 'phlix-hub', 128);
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(c.hubId)) {
    throw new ConfigError(`HUB_ID may use letters, digits and . _ : - only, got "${c.hubId}"`);
  }
  c.hubName = str(env, 'HUB_NAME', 'Phlix Hub', 200);
  c.dataDir = resolve(str(env, 'HUB_DATA_DIR', './data'));
  c.webDir = resolve(str(env, 'HUB_WEB_DIR', './web/dist'));
  const db = env.DB_URL?.trim();
  if (db) {
    if (!/^(mysql|mariadb):\/\/[^/]+\/[A-Za-z0-9_$-]+(\?.*)?$/.test(db) && !/^sqlite:/.test(db)) {
      throw new ConfigError('DB_URL must look like mysql://user:pass@host:3306/dbname or sqlite:/path/file.db');
    }
    c.dbUrl = db;
  }
  c.dbRunMigrations = bool(env, 'DB_RUN_MIGRATIONS', true);
  c.accessTtl = int(env, 'HUB_JWT_ACCESS_TTL', 900, 60, 86400);
  c.refreshTtl = int(env, 'HUB_JWT_REFRESH_TTL', 2592000, 300, 31536000);
  c.enrollmentTtl = int(env, 'HUB_ENROLLMENT_TTL', 604800, 300, 31536000);
  c.signupsEnabled = bool(env, 'HUB_SIGNUPS_ENABLED', true);
  c.keyRotationGrace = int(env, 'HUB_KEY_ROTATION_GRACE', 604800, 0, 31536000);
  c.trustProxy = bool(env, 'HUB_TRUST_PROXY', false);
  c.logLevel = str(env, 'HUB_LOG_LEVEL', 'info', 10);
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(c.logLevel)) {
    throw new ConfigError(`HUB_LOG_LEVEL must be one of fatal,error,warn,info,debug,trace,silent, got "${c.logLevel}"`);
  }
  c.metricsToken = env.HUB_METRICS_TOKEN || undefined;
  c.maxRelaySessions = int(env, 'HUB_MAX_RELAY_SESSIONS', 1000, 1, 1000000);
  c.bodyLimit = int(env, 'HUB_BODY_LIMIT', 1048576, 1024, 1073741824);
  c.termsOfService = str(env, 'HUB_TERMS_OF_SERVICE', '', 20000);
  c.privacyPolicy = str(env, 'HUB_PRIVACY_POLICY', '', 20000);
  c.contentPolicy = str(env, 'HUB_CONTENT_POLICY', '', 20000);
  c.shutdownDrainMs = int(env, 'HUB_SHUTDOWN_DRAIN_MS', 10000, 0, 600000);
  c.auditRetentionDays = int(env, 'HUB_AUDIT_RETENTION_DAYS', 365, 1, 36500);
  c.loginMaxFailures = int(env, 'HUB_LOGIN_MAX_FAILURES', 5, 1, 1000000);
  c.loginIpMaxFailures = int(env, 'HUB_LOGIN_IP_MAX_FAILURES', 20, 1, 1000000);
  c.signupRateLimit = int(env, 'HUB_SIGNUP_RATE_LIMIT', 10, 1, 1000000);
  // relay: HUB_RELAY_PORT_ENABLED=false turns the dedicated Phlix-server listener off (the main port's
  // /api/v1/relay/tunnel stays); HUB_RELAY_PORT=0 binds an ephemeral port.
  c.relayPortEnabled = bool(env, 'HUB_RELAY_PORT_ENABLED', true);
  c.relayNode = str(env, 'HUB_RELAY_NODE', '', 128);
  c.relayHeartbeatInterval = int(env, 'HUB_RELAY_HEARTBEAT_INTERVAL', 30, 1, 300);
  c.relayIdleTimeout = int(env, 'HUB_RELAY_IDLE_TIMEOUT', 90, 2, 3600);
  if (c.relayIdleTimeout <= c.relayHeartbeatInterval) {
    throw new ConfigError('HUB_RELAY_IDLE_TIMEOUT must be greater than HUB_RELAY_HEARTBEAT_INTERVAL');
  }
  c.relayReapInterval = int(env, 'HUB_RELAY_REAP_INTERVAL', 60, 1, 3600);
  c.relayHelloTimeout = int(env, 'HUB_RELAY_HELLO_TIMEOUT', 10, 1, 300);
  c.relayConnectLimit = int(env, 'HUB_RELAY_CONNECT_LIMIT', 10, 1, 1000000);
  c.relayDrainGraceMs = int(env, 'HUB_RELAY_DRAIN_GRACE_MS', 5000, 0, 600000);
  c.relayTtfbTimeout = int(env, 'HUB_RELAY_TTFB_TIMEOUT', 30, 1, 3600);
  c.relayStreamIdleTimeout = int(env, 'HUB_RELAY_STREAM_IDLE_TIMEOUT', 60, 1, 3600);
  c.relayMaxStreamSeconds = int(env, 'HUB_RELAY_MAX_STREAM_SECONDS', 21600, 0, 604800);
  c.relayStreamBuffer = int(env, 'HUB_RELAY_STREAM_BUFFER', 1048576, 65536, 67108864);
  // relay limits: 0 = unlimited / off. Per-user values are defaults an admin can override per user.
  const PIB = 1125899906842624;
  c.relayStreamMaxBps = int(env, 'HUB_RELAY_STREAM_MAX_BPS', 0, 0, 100_000_000_000);
  c.relayUserMaxStreams = int(env, 'HUB_RELAY_USER_MAX_STREAMS', 0, 0, 1000);
  c.relayUserQuotaIn = int(env, 'HUB_RELAY_USER_QUOTA_IN', 0, 0, PIB);
  c.relayUserQuotaOut = int(env, 'HUB_RELAY_USER_QUOTA_OUT', 0, 0, PIB);
  c.relayUserThrottleBps = int(env, 'HUB_RELAY_USER_THROTTLE_BPS', 0, 0, 100_000_000_000);
  c.relayRequestLimit = int(env, 'HUB_RELAY_REQUEST_LIMIT', 600, 0, 1000000);
  c.relayClientTokenTtl = int(env, 'HUB_RELAY_CLIENT_TOKEN_TTL', 3600, 60, 86400);
  c.relayClientConnectLimit = int(env, 'HUB_RELAY_CLIENT_CONNECT_LIMIT', 30, 1, 1000000);
  return c;
}
