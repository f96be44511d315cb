/**
 * One normalised path per request: what the hub checks (rules, library prefixes) is exactly what
 * it sends to the server, so the check and the request can never differ.
 *
 * Runs after checkRelayPath (traversal, encoded separators, control characters and a leading `//`
 * are refused there). From the path as the client sent it:
 *  - `;params` are cut from every segment (an origin that honours them would serve the bare name);
 *  - each segment is percent-decoded once;
 *  - trailing dots and spaces of a segment are dropped (`movie.mp4.`, `movie.mp4%20`: what a
 *    Windows or SMB-backed origin opens anyway); a segment made only of dots/spaces is refused;
 *  - empty segments (`a//b`) are dropped; one trailing slash is kept (directory listings);
 *  - when the origin folds case (declared by the agent), the whole path is lower-cased.
 * `decoded` is the result; `wire` is the same path with each segment percent-encoded
 * (encodeURIComponent), sent to the server as the request path.
 */
export class PathNotNormal extends Error {}

export interface NormalPath {
  decoded: string;
  wire: string;
}

export function normalizePath(raw: string, o: { foldCase?: boolean } = {}): NormalPath {
  const trailing = raw.length > 1 && /\/+$/.test(raw);
  const segs: string[] = [];
  for (const part of raw.split('/')) {
    const bare = part.split(';')[0]!;
    if (!bare) continue;
    let seg: string;
    try {
      seg = decodeURIComponent(bare);
    } catch {
      throw new PathNotNormal('malformed percent-encoding');
    }
    if (seg.includes('/') || seg.includes('\\')) throw new PathNotNormal('encoded separator');
    const trimmed = seg.replace(/[. ]+$/, '');
    if (!trimmed) {
      if (/^[. ]+$/.test(seg)) throw new PathNotNormal('a segment of dots or spaces');
      continue;
    }
    segs.push(o.foldCase ? trimmed.toLowerCase() : trimmed);
  }
  const tail = trailing && segs.length ? '/' : '';
  return {
    decoded: '/' + segs.join('/') + tail,
    wire: '/' + segs.map((s) => encodeURIComponent(s)).join('/') + tail,
  };
}

/**
 * Does `path` (normalised) lie under `prefix` (normalised, ending with /)? `/Movies` itself counts
 * (the origin redirects it to `/Movies/`).
 */
export function underPrefix(path: string, prefix: string): boolean {
  const p = prefix.endsWith('/') ? prefix : prefix + '/';
  return path.startsWith(p) || path === p.slice(0, -1);
}
