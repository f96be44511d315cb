import type { HttpHeaders } from '../codec/index.js';
import { HOP_BY_HOP, RELAY_USER_HEADER } from '../codec/index.js';

/**
 * Client headers that must never reach the server: identity and forwarding (set by the hub, or
 * meaningless past it), URL rewrites a server behind a front proxy may honour, and method
 * overrides (a GET classified as browse must not become a DELETE at the server).
 */
const CLIENT_STRIPPED = new Set([
  'authorization',
  'cookie',
  'forwarded',
  'x-real-ip',
  'host',
  'content-length',
  'expect',
  'x-original-url',
  'x-rewrite-url',
  'x-original-uri',
  'x-original-host',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
]);
/** Server headers not passed to the browser: they would act on the hub's origin, not the server's. */
const SERVER_STRIPPED = new Set([
  'set-cookie',
  'set-cookie2', // cookies of a media server must not land on the hub's origin
  'strict-transport-security',
  'public-key-pins',
  'public-key-pins-report-only',
  'expect-ct',
  'alt-svc',
  'clear-site-data',
  'service-worker-allowed',
  'refresh',
  'timing-allow-origin',
  'origin-agent-cluster',
  'link', // preloads, prefetch/preconnect and stylesheets on the hub's origin: dropped entirely
  'nel',
  'report-to',
  'reporting-endpoints',
  'accept-ch',
  'critical-ch',
]);
/** WWW-Authenticate schemes that make a browser prompt for credentials under the hub's name. */
const PROMPTING_AUTH = /^\s*(basic|digest|negotiate|ntlm)\b/i;
const SANDBOX_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-downloads allow-modals';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const BAD_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export interface RelayIdentity {
  userId: string;
  role: 'owner' | 'grantee';
  permission: string | null;
  /** null = whole server */
  libraryIds: string[] | null;
}

function connectionListed(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * Headers for HTTP_REQUEST HEAD from the client's raw header list (original spelling kept,
 * repeated names joined with ", "): hop-by-hop, identity and forwarding headers dropped, any
 * X-Phlix-Relay-* from the client dropped, then the hub's identity headers set.
 */
export function buildRequestHeaders(
  rawHeaders: string[],
  id: RelayIdentity,
  contentLength: number | null,
): HttpHeaders {
  const out: HttpHeaders = {};
  const seen = new Map<string, string>();
  let connection: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') connection = rawHeaders[i + 1];
  }
  const listed = connectionListed(connection);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    const lower = name.toLowerCase();
    if (
      HOP_BY_HOP.has(lower) ||
      CLIENT_STRIPPED.has(lower) ||
      listed.has(lower) ||
      lower.startsWith('x-phlix-relay-')
    ) {
      continue;
    }
    if (lower.startsWith('x-forwarded-')) continue;
    // CGI-style servers read X_Phlix_Relay_User as X-Phlix-Relay-User (both become HTTP_X_PHLIX_RELAY_USER):
    // like nginx by default, names with an underscore are not forwarded at all
    if (lower.includes('_')) continue;
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) continue;
    const key = seen.get(lower);
    if (key !== undefined) {
      out[key] = `${out[key]}, ${value}`;
    } else {
      seen.set(lower, name);
      out[name] = value;
    }
  }
  if (contentLength !== null) out['Content-Length'] = String(contentLength);
  out[RELAY_USER_HEADER] = id.userId;
  out['X-Phlix-Relay-Role'] = id.role;
  if (id.role === 'grantee') {
    out['X-Phlix-Relay-Permission'] = id.permission ?? 'view';
    out['X-Phlix-Relay-Libraries'] = id.libraryIds === null ? '*' : id.libraryIds.join(',');
  }
  return out;
}

/**
 * A header value as Node writes it: every character as one byte (Latin-1), so a value with
 * characters above U+007F is re-spelt as its UTF-8 bytes (what the server meant; a character
 * above U+00FF would otherwise make writeHead throw, and U+0080..U+00FF would go out as
 * single bytes that are not UTF-8).
 */
export function wireValue(value: string): string {
  return /^[\u0000-\u007f]*$/.test(value) ? value : Buffer.from(value, 'utf8').toString('latin1');
}

/**
 * Response headers for the browser: hop-by-hop, Set-Cookie, headers acting on the hub's origin
 * (SERVER_STRIPPED, CORS Access-Control-*, prompting WWW-Authenticate) and malformed (CR/LF,
 * bad names) headers dropped; non-ASCII values sent as UTF-8 bytes; Content-Length kept only when it is a plain number. Returns the headers and
 * the declared length (null = unknown → chunked).
 */
export function filterResponseHeaders(headers: HttpHeaders): {
  headers: Record<string, string | string[]>;
  contentLength: number | null;
} {
  const out: Record<string, string | string[]> = {};
  const listed = connectionListed(Object.entries(headers).find(([k]) => k.toLowerCase() === 'connection')?.[1]);
  let contentLength: number | null = null;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (
      HOP_BY_HOP.has(lower) ||
      SERVER_STRIPPED.has(lower) ||
      listed.has(lower) ||
      lower.startsWith('access-control-')
    ) {
      continue;
    }
    if (!TOKEN.test(name) || typeof value !== 'string' || BAD_VALUE.test(value)) continue;
    if (lower === 'www-authenticate' && PROMPTING_AUTH.test(value)) continue;
    if (lower === 'content-length') {
      if (!/^\d{1,15}$/.test(value.trim())) continue;
      contentLength = Number(value.trim());
      out['content-length'] = String(contentLength);
      continue;
    }
    out[lower] = wireValue(value);
  }
  // proxied documents must not act with the hub's origin (a server's HTML cannot read hub tokens);
  // a server's own policy is kept beside it (both are enforced)
  const own = out['content-security-policy'];
  out['content-security-policy'] = typeof own === 'string' ? [own, SANDBOX_CSP] : SANDBOX_CSP;
  out['x-content-type-options'] = 'nosniff';
  out['x-frame-options'] = 'DENY';
  return { headers: out, contentLength };
}
