/**
 * Pure rules of the HTTP-over-relay proxy: which part of the URL is forwarded, which paths are
 * refused, and which access action (browse / play / download) a request needs.
 *
 * Action mapping (checked against the share's permission; view ⊂ play ⊂ download):
 *   - download: a path segment `download` (any case), or a `download` query parameter whose value
 *     is not 0/false/no.
 *   - play: GET/HEAD/OPTIONS on media: a segment among stream(s), hls, dash, transcode(s),
 *     transcoding, universal, videos, audio, live, playback, or a path under /media/, or a media file
 *     extension (.m3u8 .mpd .ts .m4s .mp4 .mkv .webm .mov .avi .mp3 .flac .aac .m4a .ogg .opus .wav);
 *     and the few anchored POSTs a player needs (PLAYBACK_WRITES below).
 *   - browse: every other GET/HEAD/OPTIONS.
 *   - any other non-GET request is owner-only.
 * When in doubt a request is classified as the stronger action, never the weaker.
 */
import type { RelayAction } from '../limits/relay-limits.js';

export class PathRejected extends Error {}

const MAX_DECODE_PASSES = 5;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const PLAY_SEGMENTS = new Set(['stream', 'streams', 'hls', 'dash', 'transcode', 'transcodes', 'transcoding', 'universal', 'videos', 'audio', 'live', 'playback']);
const MEDIA_EXT = /\.(m3u8|mpd|ts|m4s|mp4|mkv|webm|mov|avi|mp3|flac|aac|m4a|ogg|opus|wav)$/i;

/** Anchored POST routes a grantee with `play` may use (progress reports and transcode sessions). */
export const PLAYBACK_WRITES: readonly RegExp[] = [
  /^\/api\/v1\/media\/[^/]+\/(transcode|watched|unwatched|progress)$/,
  /^\/api\/v1\/playback\/(start|progress|stop)$/,
  /^\/Items\/[^/]+\/PlaybackInfo$/,
  /^\/Sessions\/Playing(\/(Progress|Stopped|Ping))?$/,
];

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
    if (CONTROL.test(cur) || cur.includes('\\') || cur.includes('..') || cur.includes('://')) throw new PathRejected('unsafe path');
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

function queryHasDownload(query: string): boolean {
  if (!query) return false;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return false;
  }
  for (const [k, v] of params) if (k.toLowerCase() === 'download' && !['0', 'false', 'no'].includes(v.toLowerCase())) return true;
  return false;
}

/** The action a request needs; null = owner-only. `decodedPath` comes from checkRelayPath. */
export function classifyAction(method: string, decodedPath: string, query: string): RelayAction | null {
  const m = method.toUpperCase();
  const segments = decodedPath.split('/').filter(Boolean).map((s) => s.toLowerCase());
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') {
    if (segments.includes('download') || queryHasDownload(query)) return 'download';
    if (segments.some((s) => PLAY_SEGMENTS.has(s)) || segments[0] === 'media' || MEDIA_EXT.test(decodedPath)) return 'play';
    return 'browse';
  }
  if (m === 'POST' && PLAYBACK_WRITES.some((re) => re.test(decodedPath))) return 'play';
  return null;
}

/** Library named by the path (`/api/v1/libraries/{id}/…`), else null (the whole server). */
export function libraryIdOf(decodedPath: string): string | null {
  const m = /^\/api\/v1\/libraries\/([^/]+)/.exec(decodedPath);
  return m ? m[1]! : null;
}
