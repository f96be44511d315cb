/**
 * The permission model of shares: one table that decides what a grantee may receive through the
 * relay, and that docs/sharing.md reproduces row for row (a test holds the two equal).
 *
 * A request is judged twice for a grantee:
 *  1. before it is sent (request-side rules, exact per origin kind: src/relay/proxy/request-rules.ts):
 *     writes are owner-only except a few playback reports, download routes need download;
 *  2. when the response head arrives, before any body byte reaches the client
 *     (src/relay/proxy/response-classifier.ts): what is actually being served decides.
 * The permission needed is the stronger of the two; view ⊂ play ⊂ download.
 */
import type { Permission } from './permissions.js';

/** What a request or response is, for the table below. */
export type ServedClass =
  | 'no-body'
  | 'document'
  | 'large-document'
  | 'media-range'
  | 'media-small'
  | 'media-live'
  | 'media-whole'
  | 'attachment'
  | 'file'
  | 'playback-write'
  | 'download-route'
  | 'write';

export interface PermissionRow {
  cls: ServedClass;
  /** plain words, as in the docs */
  what: string;
  /** the weakest permission that allows it; null = owner only */
  needs: Permission | null;
}

/** Documents and media up to this size may be served whole to view / play grantees. */
export const WHOLE_BODY_LIMIT = 16 * 1024 * 1024;

export const PERMISSION_TABLE: readonly PermissionRow[] = [
  { cls: 'no-body', what: 'HEAD, 204, 304: headers only', needs: 'view' },
  {
    cls: 'document',
    what: 'JSON, HTML, XML, text, CSS, scripts, images up to 16 MiB (listings, artwork, pages)',
    needs: 'view',
  },
  { cls: 'large-document', what: 'the same types above 16 MiB', needs: 'download' },
  { cls: 'media-range', what: 'audio/video, playlists, subtitles answering a Range request (206)', needs: 'play' },
  {
    cls: 'media-small',
    what: 'audio/video, playlists, subtitles up to 16 MiB whole (segments, manifests)',
    needs: 'play',
  },
  {
    cls: 'media-live',
    what: 'audio/video of unknown length on a Phlix play route (live transcode, HLS, DASH)',
    needs: 'play',
  },
  { cls: 'media-whole', what: 'a whole audio/video file above 16 MiB without Range', needs: 'download' },
  { cls: 'attachment', what: 'any response with Content-Disposition: attachment', needs: 'download' },
  {
    cls: 'file',
    what: 'any other body (octet-stream, archives, disk images, PDFs, no Content-Type)',
    needs: 'download',
  },
  {
    cls: 'playback-write',
    what: 'the playback reports a player sends (progress, watched, transcode start)',
    needs: 'play',
  },
  {
    cls: 'download-route',
    what: 'download routes (Phlix /api/v1/media/{id}/download, Jellyfin /Items/{id}/Download, ?download=1)',
    needs: 'download',
  },
  { cls: 'write', what: 'every other POST, PUT, PATCH, DELETE', needs: null },
];

const NEEDS = new Map(PERMISSION_TABLE.map((r) => [r.cls, r.needs]));

/** The weakest permission that allows `cls` (null = owner only). */
export function needs(cls: ServedClass): Permission | null {
  return NEEDS.get(cls) ?? null;
}
