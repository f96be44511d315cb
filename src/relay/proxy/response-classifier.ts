/**
 * Response-side rules of the permission model (src/sharing/permission-model.ts): what a response
 * head says is being served (status, Content-Type, Content-Disposition, size), judged before any
 * body byte reaches a grantee.
 */
import { WHOLE_BODY_LIMIT, type ServedClass } from '../../sharing/permission-model.js';

export interface ResponseFacts {
  method: string;
  status: number;
  /** filtered response headers, lower-case names */
  headers: Record<string, string | string[]>;
  /** declared body length, null = unknown (streamed to END) */
  length: number | null;
  /** the client asked for a byte range */
  ranged: boolean;
  /** a Phlix play route (request-rules.ts) */
  playRoute: boolean;
}

export interface ResponseVerdict {
  cls: ServedClass;
  /** most body bytes this class may carry when the length is unknown; null = no cap */
  cap: number | null;
}

const MEDIA_TYPES =
  /^(video\/|audio\/|application\/(vnd\.apple\.mpegurl|x-mpegurl|dash\+xml|mp4|ogg|x-subrip)$|text\/vtt$)/;
const DOCUMENT_TYPES =
  /^(application\/(json|xml|javascript|ecmascript|problem\+json|ld\+json|manifest\+json|xhtml\+xml|atom\+xml|rss\+xml)$|application\/[a-z0-9.+-]+\+(json|xml)$|text\/(html|plain|css|xml|javascript|csv)$|image\/)/;

function header(h: Record<string, string | string[]>, name: string): string {
  const v = h[name];
  return (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
}

export function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export function classifyResponse(f: ResponseFacts): ResponseVerdict {
  const noBody = f.method.toUpperCase() === 'HEAD' || f.status === 204 || f.status === 304 || f.length === 0;
  if (noBody) return { cls: 'no-body', cap: null };
  if (/^\s*attachment\b/i.test(header(f.headers, 'content-disposition'))) return { cls: 'attachment', cap: null };
  // redirects and errors carry a short document of the server's own, never the file asked for
  if (f.status < 200 || f.status > 299) {
    return { cls: 'document', cap: f.length !== null && f.length <= WHOLE_BODY_LIMIT ? null : WHOLE_BODY_LIMIT };
  }
  const type = mediaTypeOf(header(f.headers, 'content-type'));
  if (type === 'application/dash+xml' || MEDIA_TYPES.test(type)) {
    if (f.status === 206 && f.ranged) return { cls: 'media-range', cap: null };
    if (f.length !== null) return { cls: f.length <= WHOLE_BODY_LIMIT ? 'media-small' : 'media-whole', cap: null };
    return f.playRoute ? { cls: 'media-live', cap: null } : { cls: 'media-small', cap: WHOLE_BODY_LIMIT };
  }
  if (type && DOCUMENT_TYPES.test(type)) {
    if (f.length !== null) return { cls: f.length <= WHOLE_BODY_LIMIT ? 'document' : 'large-document', cap: null };
    return { cls: 'document', cap: WHOLE_BODY_LIMIT };
  }
  return { cls: 'file', cap: null };
}
