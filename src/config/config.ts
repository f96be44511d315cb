import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** Typed, validated hub configuration. Built once at boot from the environment. */
export class HubConfig {
  port!: number;
  host!: string;
  relayPort!: number;
  publicUrl!: string;
  /** host[:port] of each relayed server's own web origin; `{server}` = the server id */
  relayHostTemplate!: string;
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
  /** true when X-Forwarded-For is honoured at all (see trustProxyHops / trustProxyAddrs) */
  trustProxy!: boolean;
  /** HUB_TRUST_PROXY=true|N: this many nearest hops are our proxies (0 = none) */
  trustProxyHops!: number;
  /** HUB_TRUST_PROXY=addr,cidr,…: hops with these addresses are our proxies */
  trustProxyAddrs!: string[];
  /** main and relay port timeouts, in ms (src/common/http-timeouts.ts) */
  httpHeadersTimeoutMs!: number;
  httpRequestTimeoutMs!: number;
  httpIdleTimeoutMs!: number;
  httpKeepAliveTimeoutMs!: number;
  wsHandshakeTimeoutMs!: number;
  /** HUB_METRICS_PUBLIC=true: /metrics without a token is open to every address, not only loopback */
  metricsPublic!: boolean;
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
  loginAccountMaxFailures!: number;
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
  relayPlainStallMs!: number;
  // relay limits and raw client channels (src/relay/limits, src/relay/client)
  relayStreamMaxBps!: number;
  relayUserMaxStreams!: number;
  relayServerMaxStreams!: number;
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

/** host[:port] with exactly one `{server}` (the server id goes there; a DNS label of its own or part of one). */
function hostTemplate(name: string, raw: string): string {
  const v = raw.trim().toLowerCase();
  if (v.split('{server}').length !== 2 || !/^[a-z0-9.{}-]+(:\d{1,5})?$/.test(v) || v.replace('{server}', '').includes('{') || v.startsWith('{server}:') || v === '{server}') {
    throw new ConfigError(`${name} must be a host[:port] with one {server} in it, e.g. {server}.relay.example.com, got "${v}"`);
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
  const addrs = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const a of addrs) {
    const [ip, bits, extra] = a.split('/');
    const fam = isIP(ip);
    const max = fam === 6 ? 128 : 32;
    if (!fam || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max))) {
      throw new ConfigError(`HUB_TRUST_PROXY must be true, false, a hop count or a list of proxy addresses/CIDRs, got "${raw}"`);
    }
  }
  if (!addrs.length) throw new ConfigError(`HUB_TRUST_PROXY must be true, false, a hop count or a list of proxy addresses/CIDRs, got "${raw}"`);
  return { trustProxy: true, trustProxyHops: 0, trustProxyAddrs: addrs };
}

/** Parse and validate; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): HubConfig {
  const c = new HubConfig();
  c.port = int(env, 'HUB_PORT', 8800, 0, 65535);
  c.host = str(env, 'HUB_HOST', '0.0.0.0', 255);
  c.relayPort = int(env, 'HUB_RELAY_PORT', 8802, 0, 65535);
  c.publicUrl = url(env, 'HUB_PUBLIC_URL', `http://localhost:${c.port}`);
  c.relayHostTemplate = hostTemplate('HUB_RELAY_HOST_TEMPLATE', str(env, 'HUB_RELAY_HOST_TEMPLATE', `{server}.localhost:${c.port}`, 253));
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
  Object.assign(c, trustProxy(str(env, 'HUB_TRUST_PROXY', 'false', 4000)));
  c.httpHeadersTimeoutMs = int(env, 'HUB_HTTP_HEADERS_TIMEOUT', 30, 1, 3600) * 1000;
  c.httpRequestTimeoutMs = int(env, 'HUB_HTTP_REQUEST_TIMEOUT', 60, 1, 3600) * 1000;
  c.httpIdleTimeoutMs = int(env, 'HUB_HTTP_IDLE_TIMEOUT', 60, 1, 3600) * 1000;
  c.httpKeepAliveTimeoutMs = int(env, 'HUB_HTTP_KEEPALIVE_TIMEOUT', 72, 1, 3600) * 1000;
  c.wsHandshakeTimeoutMs = int(env, 'HUB_WS_HANDSHAKE_TIMEOUT', 10, 1, 300) * 1000;
  c.logLevel = str(env, 'HUB_LOG_LEVEL', 'info', 10);
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(c.logLevel)) {
    throw new ConfigError(`HUB_LOG_LEVEL must be one of fatal,error,warn,info,debug,trace,silent, got "${c.logLevel}"`);
  }
  c.metricsToken = env.HUB_METRICS_TOKEN || undefined;
  c.metricsPublic = bool(env, 'HUB_METRICS_PUBLIC', false);
  c.maxRelaySessions = int(env, 'HUB_MAX_RELAY_SESSIONS', 1000, 1, 1000000);
  c.bodyLimit = int(env, 'HUB_BODY_LIMIT', 1048576, 1024, 1073741824);
  c.termsOfService = str(env, 'HUB_TERMS_OF_SERVICE', '', 20000);
  c.privacyPolicy = str(env, 'HUB_PRIVACY_POLICY', '', 20000);
  c.contentPolicy = str(env, 'HUB_CONTENT_POLICY', '', 20000);
  c.shutdownDrainMs = int(env, 'HUB_SHUTDOWN_DRAIN_MS', 10000, 0, 600000);
  c.auditRetentionDays = int(env, 'HUB_AUDIT_RETENTION_DAYS', 365, 1, 36500);
  c.loginMaxFailures = int(env, 'HUB_LOGIN_MAX_FAILURES', 5, 1, 1000000);
  // sign-in throttling (src/auth/login-throttle.ts): per account+IP, per IP, per account from unknown addresses
  c.loginIpMaxFailures = int(env, 'HUB_LOGIN_IP_MAX_FAILURES', 100, 1, 1000000);
  c.loginAccountMaxFailures = int(env, 'HUB_LOGIN_ACCOUNT_MAX_FAILURES', 100, 1, 1000000);
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
  // plain tunnels: longest pause of a server's tunnel for one client that does not read (then that stream is cut)
  c.relayPlainStallMs = int(env, 'HUB_RELAY_PLAIN_STALL_MS', 1500, 100, 2000);
  // relay limits: 0 = unlimited / off. Per-user values are defaults an admin can override per user.
  const PIB = 1125899906842624;
  c.relayStreamMaxBps = int(env, 'HUB_RELAY_STREAM_MAX_BPS', 0, 0, 100_000_000_000);
  // fair share of HUB_MAX_RELAY_SESSIONS: by default one user may hold a tenth of it and one server a
  // quarter (never less than 8 / 16 streams, nor more than the hub-wide cap); 0 = no cap
  const hubMax = c.maxRelaySessions;
  c.relayUserMaxStreams = int(env, 'HUB_RELAY_USER_MAX_STREAMS', Math.min(1000, Math.max(Math.min(hubMax, 8), Math.ceil(hubMax / 10))), 0, 1000);
  c.relayServerMaxStreams = int(env, 'HUB_RELAY_SERVER_MAX_STREAMS', Math.max(Math.min(hubMax, 16), Math.ceil(hubMax / 4)), 0, 1_000_000);
  c.relayUserQuotaIn = int(env, 'HUB_RELAY_USER_QUOTA_IN', 0, 0, PIB);
  c.relayUserQuotaOut = int(env, 'HUB_RELAY_USER_QUOTA_OUT', 0, 0, PIB);
  c.relayUserThrottleBps = int(env, 'HUB_RELAY_USER_THROTTLE_BPS', 0, 0, 100_000_000_000);
  c.relayRequestLimit = int(env, 'HUB_RELAY_REQUEST_LIMIT', 6000, 0, 1000000);
  c.relayClientTokenTtl = int(env, 'HUB_RELAY_CLIENT_TOKEN_TTL', 3600, 60, 86400);
  c.relayClientConnectLimit = int(env, 'HUB_RELAY_CLIENT_CONNECT_LIMIT', 30, 1, 1000000);
  return c;
}
