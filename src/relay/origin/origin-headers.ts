import type { HttpHeaders } from '../codec/index.js';
import { parseCookies } from '../../auth/cookies.js';

/** The host-only cookie of a browser's session on a server's origin. */
export const ORIGIN_COOKIE = 'phlix_relay';

/**
 * On its own origin a server is a web app of its own: the client's Authorization header and its
 * cookies for that origin (but the hub's session cookie) go to the server untouched.
 */
export function passClientCredentials(headers: HttpHeaders, rawHeaders: string[]): void {
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'authorization') {
      headers['Authorization'] = value;
    } else if (name === 'cookie') {
      for (const [k, v] of parseCookies(value)) if (k !== ORIGIN_COOKIE) cookies.push(`${k}=${v}`);
    }
  }
  if (cookies.length) headers['Cookie'] = cookies.join('; ');
}

/**
 * Responses on a server's origin: not sandboxed (the origin is the server's, the hub's cookies and
 * pages are elsewhere), the server's own policy kept; its cookies are kept for its own host only
 * (never for a parent domain, never the hub's session cookie).
 */
export function ownOriginResponse(headers: Record<string, string | string[]>, fromServer: HttpHeaders): void {
  const csp = headers['content-security-policy'];
  const own = Array.isArray(csp) ? csp.slice(0, -1) : [];
  if (own.length) headers['content-security-policy'] = own;
  else delete headers['content-security-policy'];
  delete headers['x-frame-options'];
  for (const [name, value] of Object.entries(fromServer)) {
    const lower = name.toLowerCase();
    if (lower === 'x-frame-options' && typeof value === 'string') headers['x-frame-options'] = value;
    if (lower !== 'set-cookie' || typeof value !== 'string') continue;
    // repeated Set-Cookie headers arrive joined with ", " (an Expires date has a comma but no "name=" after it)
    const kept = value.split(/,\s*(?=[!#$%&'*+.^_`|~0-9A-Za-z-]+=)/).filter((c) => {
      const cname = c.split('=')[0]!.trim();
      return cname && cname !== ORIGIN_COOKIE && !/;\s*domain\s*=/i.test(c);
    });
    if (kept.length) headers['set-cookie'] = kept;
  }
}
