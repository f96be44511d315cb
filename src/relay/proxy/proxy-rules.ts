/**
 * Pure rules of the HTTP-over-relay proxy: which part of the URL is forwarded and which paths are
 * refused outright. What a request needs (view / play / download) is decided by the exact
 * request rules (request-rules.ts) and, for grantees, by the response (response-classifier.ts).
 */
export class PathRejected extends Error {}

const MAX_DECODE_PASSES = 5;

const CONTROL = /[\u0000-\u001f\u007f]/;

export interface ProxyTarget {
  serverId: string;
  /** forwarded path, exactly as the client sent it (still percent-encoded), starting with / */
  path: string;
  /** raw query string without '?' ('' when none) */
  query: string;
  /** fully decoded path (for rules only) */
  decodedPath: string;
}

/** Split `/api/v1/servers/{id}/proxy/<rest>?<query>` from the raw request URL. */
export function parseProxyUrl(rawUrl: string): ProxyTarget {
  const q = rawUrl.indexOf('?');
  const pathPart = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? '' : rawUrl.slice(q + 1);
  const m = /^\/api\/v1\/servers\/([^/]+)\/proxy(\/.*)?$/.exec(pathPart);
  if (!m) throw new PathRejected('not a proxy path');
  const path = m[2] ?? '/';
  if (CONTROL.test(query) || query.includes('#')) throw new PathRejected('control characters in the query');
  return { serverId: m[1]!, path, query, decodedPath: checkRelayPath(path) };
}

/**
 * Refuse traversal and smuggling: the path is decoded to a fixed point (at most 5 passes) and
 * every spelling is checked — no `.`/`..` segments (split on / and ;), no `..` at all, no
 * encoded separators (%2F %5C), no backslash, NUL or control characters, no raw `#`, no `?`/`#`
 * hidden by encoding, no `//` prefix or `://`. Returns the decoded path.
 */
export function checkRelayPath(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) throw new PathRejected('path must start with a single /');
  if (path.includes('#')) throw new PathRejected('a fragment (#) is never sent to a server');
  let cur = path;
  for (let pass = 0; pass <= MAX_DECODE_PASSES; pass++) {
    if (CONTROL.test(cur) || cur.includes('\\') || cur.includes('..') || cur.includes('://')) {
      throw new PathRejected('unsafe path');
    }
    if (/%(2f|5c|00)/i.test(cur)) throw new PathRejected('encoded separator');
    if (pass > 0 && (cur.includes('?') || cur.includes('#'))) throw new PathRejected('encoded query or fragment');
    if (cur.startsWith('//')) throw new PathRejected('protocol-relative path');
    for (const seg of cur.split(/[/;]/)) if (seg === '.' || seg === '..') throw new PathRejected('dot segment');
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      throw new PathRejected('malformed percent-encoding');
    }
    if (next === cur) return cur;
    cur = next;
  }
  throw new PathRejected('path still changes after repeated decoding');
}
