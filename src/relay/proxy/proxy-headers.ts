import type { HttpHeaders } from '../codec/index.js';
import { RELAY_USER_HEADER } from '../codec/index.js';

/** Hop-by-hop and framing headers never forwarded in either direction. */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'trailers',
  'transfer-encoding', 'upgrade', 'http2-settings',
]);
/** Client headers that must never reach the server (identity is set by the hub). */
const CLIENT_STRIPPED = new Set(['authorization', 'cookie', 'x-forwarded-for', 'forwarded', 'x-real-ip', 'host', 'content-length', 'expect']);
/** Server headers not passed to the browser (cookies of a media server must not land on the hub's origin). */
const SERVER_STRIPPED = new Set(['set-cookie', 'set-cookie2']);
const SANDBOX_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-downloads allow-modals';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const BAD_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export interface RelayIdentity {
  userId: string;
  role: 'owner' | 'grantee';
  permission: string | null;
  /** null = whole server */
  libraryIds: string[] | null;
}

function connectionListed(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
}

/**
 * Headers for HTTP_REQUEST HEAD from the client's raw header list (original spelling kept,
 * repeated names joined with ", "): hop-by-hop, identity and forwarding headers dropped, any
 * X-Phlix-Relay-* from the client dropped, then the hub's identity headers set.
 */
export function buildRequestHeaders(rawHeaders: string[], id: RelayIdentity, contentLength: number | null): HttpHeaders {
  const out: HttpHeaders = {};
  const seen = new Map<string, string>();
  let connection: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'connection') connection = rawHeaders[i + 1];
  const listed = connectionListed(connection);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || CLIENT_STRIPPED.has(lower) || listed.has(lower) || lower.startsWith('x-phlix-relay-')) continue;
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) continue;
    const key = seen.get(lower);
    if (key !== undefined) out[key] = `${out[key]}, ${value}`;
    else {
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
 * Response headers for the browser: hop-by-hop, Set-Cookie and malformed (CR/LF, bad names)
 * headers dropped; Content-Length kept only when it is a plain number. Returns the headers and
 * the declared length (null = unknown → chunked).
 */
export function filterResponseHeaders(headers: HttpHeaders): { headers: Record<string, string | string[]>; contentLength: number | null } {
  const out: Record<string, string | string[]> = {};
  const listed = connectionListed(Object.entries(headers).find(([k]) => k.toLowerCase() === 'connection')?.[1]);
  let contentLength: number | null = null;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || SERVER_STRIPPED.has(lower) || listed.has(lower)) continue;
    if (!TOKEN.test(name) || typeof value !== 'string' || BAD_VALUE.test(value)) continue;
    if (lower === 'content-length') {
      if (!/^\d{1,15}$/.test(value.trim())) continue;
      contentLength = Number(value.trim());
      out['content-length'] = String(contentLength);
      continue;
    }
    out[lower] = value;
  }
  // proxied documents must not act with the hub's origin (a server's HTML cannot read hub tokens);
  // a server's own policy is kept beside it (both are enforced)
  const own = out['content-security-policy'];
  out['content-security-policy'] = typeof own === 'string' ? [own, SANDBOX_CSP] : SANDBOX_CSP;
  out['x-content-type-options'] = 'nosniff';
  out['x-frame-options'] = 'DENY';
  return { headers: out, contentLength };
}
