/**
 * HTTP_REQUEST legacy single-frame envelope (shared `RelayHttpRequest`,
 * docs/protocol/wire.md §3.1 (a)), the server's `assertSafe()` rules, PHP strict base64,
 * and the identity headers the hub must strip.
 */
import type { JsonStyle } from './json.js';
import {
  checkHeadersForEncode,
  decodeJsonObject,
  encodeTaggedJson,
  optionalString,
  payloadError,
  readHeaders,
  requireNonEmptyString,
  setHeader,
  type HttpHeaders,
} from './fields.js';

/** Request line and headers (the chunked HEAD carries exactly this). */
export interface RelayHttpRequestHead {
  method: string;
  path: string;
  query: string;
  headers: HttpHeaders;
}

/** A whole request: what the envelope carries, or what HEAD+BODY*+END reassemble to. */
export interface RelayHttpRequest extends RelayHttpRequestHead {
  body: Buffer;
}

const CTX = 'RelayHttpRequest';

/** Methods `assertSafe()` allows (compared upper-cased, ASCII only). */
export const ALLOWED_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);

/** Client headers the hub must never forward (lower-case; matched case-insensitively). */
export const STRIPPED_HEADERS: readonly string[] = ['x-phlix-relay-user', 'x-forwarded-for', 'authorization', 'cookie'];

/** Header the server reads the relayed user id from. */
export const RELAY_USER_HEADER = 'X-Phlix-Relay-User';

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const asciiUpper = (s: string): string => s.replace(/[a-z]/g, (c) => c.toUpperCase());

export function isForbiddenHeader(name: string): boolean {
  return STRIPPED_HEADERS.includes(asciiLower(name));
}

/** Copy of `headers` without the forbidden ones. */
export function withoutForbiddenHeaders(headers: HttpHeaders): HttpHeaders {
  const out: HttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!isForbiddenHeader(name)) setHeader(out, name, value);
  return out;
}

/**
 * Copy of `headers` ready to relay: forbidden headers removed (including any
 * client-sent `X-Phlix-Relay-User`), then `X-Phlix-Relay-User` set to the
 * user the hub authenticated.
 */
export function withRelayIdentity(headers: HttpHeaders, userId: string): HttpHeaders {
  const out = withoutForbiddenHeaders(headers);
  setHeader(out, RELAY_USER_HEADER, userId);
  return out;
}

/** Copy of `head` with `Content-Length: <size>`, replacing any spelling of it. */
export function withBodySize<T extends RelayHttpRequestHead>(head: T, size: number): T {
  const headers: HttpHeaders = {};
  for (const [name, value] of Object.entries(head.headers)) {
    if (asciiLower(name) !== 'content-length') setHeader(headers, name, value);
  }
  setHeader(headers, 'Content-Length', String(size));
  return { ...head, headers };
}

/** PHP `rawurldecode()` on bytes: `%XX` becomes one byte, anything else stays. */
function rawUrlDecode(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out[o++] = parseInt(bytes.toString('latin1', i + 1, i + 3), 16);
      i += 2;
    } else {
      out[o++] = c;
    }
  }
  return out.subarray(0, o);
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

const PATH_RULES: readonly [(p: string) => boolean, string][] = [
  [(p) => !p.startsWith('/'), '"path" must start with "/".'],
  [(p) => p.startsWith('//'), '"path" must not be protocol-relative.'],
  [(p) => p.includes('..'), '"path" must not contain "..".'],
  [(p) => p.includes('\0') || p.includes('%00'), '"path" must not contain a NUL byte.'],
  [(p) => p.includes('\\'), '"path" must not contain a backslash.'],
  [(p) => p.includes('://'), '"path" must not contain a scheme.'],
  [(p) => p.includes('?'), '"path" must not contain a query string.'],
  [(p) => p.includes('#'), '"path" must not contain a fragment.'],
  [(p) => /[\x00-\x1f]/.test(p), '"path" must not contain control characters.'],
];

/**
 * The server's `RelayHttpRequest::assertSafe()`: method allow-list, then the
 * path rules on the raw path and once more after a single `rawurldecode`.
 * Throws HttpPayloadError `http.unsafe_request`.
 */
export function assertSafeRequest(req: Pick<RelayHttpRequestHead, 'method' | 'path'>): void {
  if (!ALLOWED_METHODS.has(asciiUpper(req.method))) {
    throw payloadError('http.unsafe_request', CTX, `HTTP method "${req.method}" is not allowed.`);
  }
  const raw = Buffer.from(req.path, 'utf8');
  for (const bytes of [raw, rawUrlDecode(raw)]) {
    const path = bytes.toString('latin1'); // byte-per-char view, like a PHP string
    for (const [broken, message] of PATH_RULES) {
      if (broken(path)) throw payloadError('http.unsafe_request', CTX, message);
    }
  }
}

const B64_VALUES = new Int8Array(128).fill(-2);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((ch, i) => {
  B64_VALUES[ch.charCodeAt(0)] = i;
});
for (const ws of [0x09, 0x0a, 0x0d, 0x20]) B64_VALUES[ws] = -1;

/**
 * PHP `base64_decode($s, true)`: standard alphabet only, tab/LF/CR/space
 * skipped, padding optional but never followed by data or wrong in length.
 * Returns null where PHP returns false.
 */
export function phpStrictBase64Decode(text: string): Buffer | null {
  const out = Buffer.allocUnsafe(Math.ceil((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let chars = 0;
  let padding = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) {
      padding++;
      continue;
    }
    const v = c < 128 ? B64_VALUES[c]! : -2;
    if (v === -1) continue;
    if (v === -2 || padding > 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    chars++;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (chars % 4 === 1) return null;
  if (padding > 0 && (padding > 2 || (chars + padding) % 4 !== 0)) return null;
  return Buffer.from(out.subarray(0, o)); // exact-size copy: no uninitialised slack behind it
}

/** Shape checks shared by the envelope and the chunked HEAD encoders. */
export function checkRequestHeadForEncode(head: RelayHttpRequestHead, ctx: string): void {
  if (typeof head.method !== 'string' || head.method === '') {
    throw payloadError('http.invalid_field', ctx, '"method" must be a non-empty string.');
  }
  if (typeof head.path !== 'string' || !head.path.startsWith('/')) {
    throw payloadError('http.invalid_field', ctx, '"path" must start with "/".');
  }
  if (typeof head.query !== 'string') throw payloadError('http.invalid_field', ctx, '"query" must be a string.');
  checkHeadersForEncode(head.headers, ctx);
}

/**
 * Envelope payload (starts with `{`): keys method, path, query, headers, body
 * (standard padded base64). Does not run assertSafeRequest() and does not
 * check the 65535-byte frame limit: encodeFrame() does, on the real size.
 */
export function encodeRequestEnvelope(req: RelayHttpRequest, style: JsonStyle = 'php'): Buffer {
  checkRequestHeadForEncode(req, CTX);
  const body = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length).toString('base64');
  const json = { method: req.method, path: req.path, query: req.query, headers: req.headers, body };
  return encodeTaggedJson(null, json, style, CTX);
}

/** `RelayHttpRequest::fromJson()`, including assertSafe(). Throws HttpPayloadError. */
export function decodeRequestEnvelope(payload: Uint8Array): RelayHttpRequest {
  const data = decodeJsonObject(payload, CTX);
  const method = requireNonEmptyString(data, 'method', CTX);
  const path = requireNonEmptyString(data, 'path', CTX);
  const query = optionalString(data, 'query', CTX);
  const headers = readHeaders(data, CTX);
  const bodyText = optionalString(data, 'body', CTX);
  const body = phpStrictBase64Decode(bodyText);
  if (body === null) throw payloadError('http.invalid_field', CTX, '"body" is not valid base64.');
  const request: RelayHttpRequest = { method, path, query, headers, body };
  assertSafeRequest(request);
  return request;
}
