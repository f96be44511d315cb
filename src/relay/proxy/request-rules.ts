/**
 * Request-side rules of the permission model (src/sharing/permission-model.ts), exact per kind of
 * origin. Paths are the normalised ones (path-normalize.ts); route matching ignores case, so a
 * differently-cased spelling is never judged weaker than the route it may reach.
 *
 * Phlix server (the routes of the Phlix API):
 *   play routes      GET/HEAD /hls/…, /dash/…, /media/…, /api/v1/transcode/…, /api/v1/media/{id}/stream
 *   download route   GET/HEAD /api/v1/media/{id}/download
 *   playback writes  POST /api/v1/media/{id}/(transcode|watched|unwatched|progress),
 *                    POST /api/v1/playback/(start|progress|stop)
 *   library          /api/v1/libraries/{id}/… belongs to library {id}
 * Generic origin behind the agent (Jellyfin, a file server, …):
 *   download route   GET/HEAD /Items/{id}/Download (Jellyfin)
 *   playback writes  POST /Items/{id}/PlaybackInfo, /Sessions/Playing[/Progress|/Stopped|/Ping]
 *   library          the agent's declared path prefixes
 * Both: a `download` query parameter (not 0/false/no) makes a read a download; every other GET,
 * HEAD or OPTIONS is a read whose response decides (response-classifier.ts); every other method
 * is owner-only.
 */
import type { RelayAction } from '../limits/relay-limits.js';
import { needs, type ServedClass } from '../../sharing/permission-model.js';
import type { Permission } from '../../sharing/permissions.js';

export type OriginKind = 'phlix' | 'generic';

export interface RequestVerdict {
  /** 'read': decided by the response */
  cls: ServedClass | 'read';
  /** a Phlix play route: live media of unknown length is playback */
  playRoute: boolean;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PHLIX_PLAY = [
  /^\/(hls|dash|media)(\/|$)/i,
  /^\/api\/v1\/transcode(\/|$)/i,
  /^\/api\/v1\/media\/[^/]+\/stream\/?$/i,
];
const PHLIX_DOWNLOAD = [/^\/api\/v1\/media\/[^/]+\/download\/?$/i];
const PHLIX_WRITES = [
  /^\/api\/v1\/media\/[^/]+\/(transcode|watched|unwatched|progress)$/i,
  /^\/api\/v1\/playback\/(start|progress|stop)$/i,
];
const GENERIC_DOWNLOAD = [/^\/Items\/[^/]+\/Download\/?$/i];
const GENERIC_WRITES = [/^\/Items\/[^/]+\/PlaybackInfo$/i, /^\/Sessions\/Playing(\/(Progress|Stopped|Ping))?$/i];

function queryHasDownload(query: string): boolean {
  if (!query) return false;
  for (const [k, v] of new URLSearchParams(query)) {
    if (k.toLowerCase() === 'download' && !['0', 'false', 'no'].includes(v.toLowerCase())) return true;
  }
  return false;
}

export function judgeRequest(kind: OriginKind, method: string, path: string, query: string): RequestVerdict {
  const m = method.toUpperCase();
  const any = (res: RegExp[]) => res.some((re) => re.test(path));
  if (READS.has(m)) {
    const playRoute = kind === 'phlix' && any(PHLIX_PLAY);
    if (queryHasDownload(query) || any(kind === 'phlix' ? PHLIX_DOWNLOAD : GENERIC_DOWNLOAD)) {
      return { cls: 'download-route', playRoute };
    }
    return { cls: 'read', playRoute };
  }
  if (m === 'POST' && any(kind === 'phlix' ? PHLIX_WRITES : GENERIC_WRITES)) {
    return { cls: 'playback-write', playRoute: false };
  }
  return { cls: 'write', playRoute: false };
}

/** The permission the request side needs (null = owner only); a read needs view to be sent. */
export function requestNeeds(v: RequestVerdict): Permission | null {
  return v.cls === 'read' ? 'view' : needs(v.cls);
}

export const ACTION_OF: Record<Permission, RelayAction> = { view: 'browse', play: 'play', download: 'download' };

/** Library named by a Phlix path (`/api/v1/libraries/{id}/…`), else null. */
export function phlixLibraryOf(path: string): string | null {
  const m = /^\/api\/v1\/libraries\/([^/]+)/i.exec(path);
  return m ? m[1]! : null;
}
