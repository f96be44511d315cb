import { createHash } from 'node:crypto';
import { asPayload, invalid, pick, int, str, strList } from './payload.js';
import { MAX_HOSTNAME_CANDIDATES } from './claim-request.js';

export interface LibraryRef {
  id: string;
  name: string;
  /** generic origins: the path prefix this library is (`path_prefix`, e.g. /Movies/); null otherwise */
  prefix?: string | null;
}

const BAD_PREFIX = /[\u0000-\u001f\u007f\\?#]/;

/** A declared library prefix: an absolute path of at most 255 characters, stored ending with /. */
export function libraryPrefixOf(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (!t.startsWith('/') || t.length > 254 || BAD_PREFIX.test(t) || t.split('/').some((s) => s === '..' || s === '.')) {
    return null;
  }
  return t.endsWith('/') ? t : t + '/';
}

export interface HeartbeatInput {
  serverId?: string;
  version: string;
  /** UNIX seconds from the server's clock */
  timestamp?: number;
  uptimeSeconds: number;
  activeSessions: number;
  activeTranscodes: number;
  /** undefined = not sent (keep what we have) */
  hostnameCandidates?: string[];
  /** undefined = not sent (keep the stored list); [] = the server has no libraries */
  libraries?: LibraryRef[];
  capabilities?: string[];
}

const CTX = 'HeartbeatDto';
export const MAX_LIBRARIES = 500;
const MAX_CAPABILITIES = 64;

/**
 * Parse a heartbeat: the shared HeartbeatDto (camelCase) or the pairing doc's snake_case.
 * Types are strict (wrong type → 400, nothing stored); library entries are lenient like the
 * shared DTO's default mode: entries that are not objects or lack a non-empty id and name are
 * dropped. Library entries: `{library_id, library_name}` (LibraryRef) or `{id, name}` (pairing doc).
 * Lists are bounded: extra entries are ignored.
 */
export function parseHeartbeat(body: unknown): HeartbeatInput {
  const p = asPayload(body, CTX);
  const hb: HeartbeatInput = {
    serverId: str(p, CTX, ['serverId', 'server_id'], { max: 64 }),
    version: str(p, CTX, ['version'], { required: true, max: 64 })!.trim(),
    timestamp: int(p, CTX, ['timestamp'], { max: 253402300799 }),
    uptimeSeconds: int(p, CTX, ['uptimeSeconds', 'uptime_seconds'], { required: true, max: 3153600000 })!,
    activeSessions: int(p, CTX, ['activeSessions', 'active_sessions'], { required: true, max: 1000000 })!,
    activeTranscodes: int(p, CTX, ['activeTranscodes', 'active_transcodes'], { required: true, max: 1000000 })!,
    hostnameCandidates: strList(p, CTX, ['hostnameCandidates', 'hostname_candidates'], MAX_HOSTNAME_CANDIDATES),
    capabilities: strList(p, CTX, ['capabilities'], MAX_CAPABILITIES, 64),
  };
  const [lk, lv] = pick(p, ['libraries']);
  if (lv !== undefined && lv !== null) {
    if (!Array.isArray(lv)) throw invalid(`${CTX} "${lk}" must be a list of objects.`);
    const seen = new Set<string>();
    const libs: LibraryRef[] = [];
    for (const e of lv) {
      if (libs.length >= MAX_LIBRARIES) break;
      if (!e || typeof e !== 'object' || Array.isArray(e)) continue;
      const o = e as Record<string, unknown>;
      const id = o.library_id ?? o.libraryId ?? o.id;
      const name = o.library_name ?? o.libraryName ?? o.name;
      if (typeof id !== 'string' || typeof name !== 'string') continue;
      const tid = id.trim();
      const tname = name.trim().slice(0, 255);
      if (!tid || !tname || tid.length > 191 || seen.has(tid)) continue;
      seen.add(tid);
      const prefix = libraryPrefixOf(o.path_prefix ?? o.pathPrefix);
      libs.push(prefix ? { id: tid, name: tname, prefix } : { id: tid, name: tname });
    }
    hb.libraries = libs;
  }
  return hb;
}

/** SHA-256 of the sorted library list: libraries are rewritten only when this changes. */
export function libraryHash(libs: LibraryRef[]): string {
  const sorted = [...libs]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((l) => (l.prefix ? [l.id, l.name, l.prefix] : [l.id, l.name]));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
