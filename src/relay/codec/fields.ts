/**
 * Shared helpers for the JSON parts of HTTP-over-relay payloads: reading
 * fields the way the PHP `fromJson()` methods do, and writing JSON heads.
 */
import { HttpPayloadError, type HttpPayloadErrorCode } from './errors.js';
import { PhpFloat, phpJsonDecode, phpJsonEncode, PhpJsonError, type JsonStyle, type PhpJson } from './json.js';

/** HTTP headers: one string value per name, in insertion order. */
export type HttpHeaders = Record<string, string>;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

export function payloadError(code: HttpPayloadErrorCode, ctx: string, message: string): HttpPayloadError {
  return new HttpPayloadError(code, `${ctx}: ${message}`);
}

/**
 * True when PHP would turn this array key into an integer ("123", "-5", but
 * not "0123", "-0", "1.5"). PHP then rejects it as a header name.
 */
export function isPhpIntegerKey(key: string): boolean {
  if (!/^(?:0|-?[1-9][0-9]{0,19})$/.test(key)) return false;
  const n = BigInt(key);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** `json_decode` + `is_array` check, with the PHP class's message prefix. */
export function decodeJsonObject(bytes: Uint8Array, ctx: string): Map<string, PhpJson> {
  let data: PhpJson;
  try {
    data = phpJsonDecode(bytes);
  } catch (err) {
    const reason = err instanceof PhpJsonError ? err.message : String(err);
    throw payloadError('http.malformed_json', ctx, `malformed JSON: ${reason}`);
  }
  if (data instanceof Map) return data;
  // A JSON list is a PHP array too: it passes is_array() but has no named keys.
  if (Array.isArray(data)) return new Map();
  throw payloadError('http.invalid_field', ctx, 'JSON must be an object.');
}

/** PHP int (not float): a JS number produced for an integer literal. */
export function isPhpInt(value: PhpJson | undefined): value is number {
  return typeof value === 'number';
}

export function isFloat(value: PhpJson | undefined): boolean {
  return value instanceof PhpFloat;
}

/** Required non-empty string field (`method`, `path`). */
export function requireNonEmptyString(data: Map<string, PhpJson>, key: string, ctx: string): string {
  const value = data.get(key);
  if (typeof value !== 'string' || value === '') {
    throw payloadError('http.invalid_field', ctx, `"${key}" must be a non-empty string.`);
  }
  return value;
}

/** Optional string field: missing or null becomes `""`. */
export function optionalString(data: Map<string, PhpJson>, key: string, ctx: string): string {
  const value = data.get(key);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw payloadError('http.invalid_field', ctx, `"${key}" must be a string.`);
  return value;
}

/** Sets a key as an own data property, safe even for `__proto__`. */
export function setHeader(headers: HttpHeaders, name: string, value: string): void {
  Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * `headers`: missing / null / `[]` become `{}`; any other list, any integer-like
 * name or any non-string value is rejected, as in PHP.
 */
export function readHeaders(data: Map<string, PhpJson>, ctx: string): HttpHeaders {
  const value = data.get('headers');
  const out: HttpHeaders = {};
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    if (value.length === 0) return out;
    throw payloadError('http.invalid_field', ctx, 'header names and values must be strings.');
  }
  if (!(value instanceof Map)) throw payloadError('http.invalid_field', ctx, '"headers" must be an object.');
  for (const [name, v] of value) {
    if (isPhpIntegerKey(name) || typeof v !== 'string') {
      throw payloadError('http.invalid_field', ctx, 'header names and values must be strings.');
    }
    setHeader(out, name, v);
  }
  return out;
}

/**
 * Checks headers before encoding. Integer-like names are refused because the
 * PHP peer could not decode them (and JS objects would reorder them).
 */
export function checkHeadersForEncode(headers: HttpHeaders, ctx: string): void {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw payloadError('http.invalid_field', ctx, '"headers" must be an object.');
  }
  for (const [name, value] of Object.entries(headers)) {
    if (isPhpIntegerKey(name) || typeof value !== 'string') {
      throw payloadError('http.invalid_field', ctx, 'header names and values must be strings.');
    }
  }
}

/** `[tag][json]` payload; JSON errors become `http.encode_failed`. */
export function encodeTaggedJson(tag: number | null, value: unknown, style: JsonStyle, ctx: string): Buffer {
  let json: string;
  try {
    json = phpJsonEncode(value, style);
  } catch (err) {
    throw payloadError('http.encode_failed', ctx, err instanceof Error ? err.message : String(err));
  }
  const body = Buffer.from(json, 'utf8');
  if (tag === null) return body;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = tag;
  body.copy(out, 1);
  return out;
}
