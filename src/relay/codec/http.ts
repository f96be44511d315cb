/**
 * HTTP over the relay (docs/protocol/wire.md §3): payloads of HTTP_REQUEST (0x10),
 * HTTP_RESPONSE (0x11) and HTTP_CANCEL (0x12).
 *
 * Chunked form, both directions, one request id per exchange:
 *   HEAD = 01 + JSON,  BODY = 02 + up to 65534 raw bytes,  END = 03.
 * HTTP_REQUEST may instead carry the legacy JSON envelope (see envelope.ts);
 * the server tells them apart by the first byte.
 */
import { assertId, encodeFrame, FrameType, HEADER_SIZE, hexByte, MAX_PAYLOAD, writeFrameHeader } from './frame.js';
import type { JsonStyle } from './json.js';
import {
  checkHeadersForEncode,
  decodeJsonObject,
  encodeTaggedJson,
  isPhpInt,
  optionalString,
  payloadError,
  readHeaders,
  requireNonEmptyString,
  type HttpHeaders,
} from './fields.js';
import {
  checkRequestHeadForEncode,
  decodeRequestEnvelope,
  encodeRequestEnvelope,
  type RelayHttpRequest,
  type RelayHttpRequestHead,
} from './envelope.js';

/** Hop-by-hop and framing headers (lower case): never forwarded in either direction, by hub or agent. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Chunk tag bytes (same values for requests and responses). */
export enum ChunkTag {
  HEAD = 0x01,
  BODY = 0x02,
  END = 0x03,
}

/** Largest BODY chunk: frame payload maximum minus the tag byte. */
export const MAX_BODY_CHUNK = MAX_PAYLOAD - 1;

export interface RelayHttpResponseHead {
  status: number;
  headers: HttpHeaders;
  /** Total body bytes, or null when unknown (streaming: END is the only end signal). */
  bodyLength: number | null;
}

export type HttpChunk<Head> = { kind: 'head'; head: Head } | { kind: 'body'; body: Buffer } | { kind: 'end' };
export type RequestChunk = HttpChunk<RelayHttpRequestHead>;
export type ResponseChunk = HttpChunk<RelayHttpResponseHead>;

/** What an HTTP_REQUEST payload turned out to be. */
export type HttpRequestPayload =
  { form: 'chunk'; chunk: RequestChunk } | { form: 'envelope'; request: RelayHttpRequest };

const REQ_CODEC = 'RelayHttpRequestCodec';
const RES_CODEC = 'RelayHttpResponseCodec';
const REQ_HEAD = 'RelayHttpRequestHead';
const RES_HEAD = 'RelayHttpResponseHead';
const END_PAYLOAD = Buffer.from([ChunkTag.END]);

function checkBodyChunk(chunk: Uint8Array, ctx: string): void {
  if (chunk.length > MAX_BODY_CHUNK) {
    throw payloadError('http.chunk_too_large', ctx, `body chunk ${chunk.length} exceeds max ${MAX_BODY_CHUNK} bytes.`);
  }
}

function bodyChunk(chunk: Uint8Array, ctx: string): Buffer {
  checkBodyChunk(chunk, ctx);
  const out = Buffer.allocUnsafe(chunk.length + 1);
  out[0] = ChunkTag.BODY;
  out.set(chunk, 1);
  return out;
}

/** Bytes of the largest frame encodeBodyFrame builds (a buffer this size can hold any of them). */
export const MAX_BODY_FRAME = HEADER_SIZE + 1 + MAX_BODY_CHUNK;

/**
 * A whole HTTP_RESPONSE / HTTP_REQUEST frame carrying one BODY chunk, built with one copy of the
 * chunk: the same bytes as `encodeFrame(type, id, encodeResponseBody(chunk))`, which copies it twice.
 * With `into` (at least MAX_BODY_FRAME bytes, or the frame's size) the frame is written there and
 * the result is a view of it; otherwise a new buffer.
 */
export function encodeBodyFrame(
  type: FrameType.HTTP_REQUEST | FrameType.HTTP_RESPONSE,
  id: number,
  chunk: Uint8Array,
  into?: Buffer,
): Buffer {
  checkBodyChunk(chunk, type === FrameType.HTTP_REQUEST ? REQ_CODEC : RES_CODEC);
  assertId(id);
  const size = HEADER_SIZE + 1 + chunk.length;
  if (into && into.length < size) throw new RangeError(`frame of ${size} bytes does not fit ${into.length}`);
  const out = into ? into.subarray(0, size) : Buffer.allocUnsafe(size);
  writeFrameHeader(out, 0, type, id, chunk.length + 1);
  out[HEADER_SIZE] = ChunkTag.BODY;
  out.set(chunk, HEADER_SIZE + 1);
  return out;
}

/** Where the body bytes of a BODY frame start: after the frame header and the chunk tag. */
export const BODY_FRAME_OFFSET = HEADER_SIZE + 1;

/**
 * Completes a BODY frame whose `length` body bytes were already placed at BODY_FRAME_OFFSET of
 * `into` (read there from a socket): writes the header and tag in front, copies nothing.
 */
export function sealBodyFrame(
  type: FrameType.HTTP_REQUEST | FrameType.HTTP_RESPONSE,
  id: number,
  into: Buffer,
  length: number,
): Buffer {
  if (length > MAX_BODY_CHUNK || length < 0) {
    throw payloadError(
      'http.chunk_too_large',
      type === FrameType.HTTP_REQUEST ? REQ_CODEC : RES_CODEC,
      `body chunk ${length} exceeds max ${MAX_BODY_CHUNK} bytes.`,
    );
  }
  assertId(id);
  if (into.length < BODY_FRAME_OFFSET + length) {
    throw new RangeError(`frame of ${length} body bytes does not fit ${into.length}`);
  }
  writeFrameHeader(into, 0, type, id, length + 1);
  into[HEADER_SIZE] = ChunkTag.BODY;
  return into.subarray(0, BODY_FRAME_OFFSET + length);
}

/** Splits a body into ≤ 65534-byte views; an empty body gives no chunks. */
export function chunkBody(body: Uint8Array): Buffer[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.length);
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += MAX_BODY_CHUNK) out.push(buf.subarray(i, i + MAX_BODY_CHUNK));
  return out;
}

function decodeChunk<Head>(payload: Uint8Array, ctx: string, parseHead: (json: Uint8Array) => Head): HttpChunk<Head> {
  if (payload.length === 0) throw payloadError('http.empty_chunk', ctx, 'empty chunk payload.');
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  switch (buf[0]) {
    case ChunkTag.HEAD:
      return { kind: 'head', head: parseHead(buf.subarray(1)) };
    case ChunkTag.BODY:
      return { kind: 'body', body: buf.subarray(1) };
    case ChunkTag.END:
      return { kind: 'end' }; // trailing bytes are ignored, as in PHP
    default:
      throw payloadError('http.unknown_tag', ctx, `unknown chunk tag 0x${hexByte(buf[0]!)}.`);
  }
}

// ---- HTTP_REQUEST, chunked form ------------------------------------------------

/** HEAD payload: 01 + {"method","path","query","headers"} (no body key). */
export function encodeRequestHead(head: RelayHttpRequestHead, style: JsonStyle = 'php'): Buffer {
  checkRequestHeadForEncode(head, REQ_HEAD);
  const json = { method: head.method, path: head.path, query: head.query, headers: head.headers };
  return encodeTaggedJson(ChunkTag.HEAD, json, style, REQ_HEAD);
}

/** BODY payload: 02 + bytes (at most 65534). */
export function encodeRequestBody(chunk: Uint8Array): Buffer {
  return bodyChunk(chunk, REQ_CODEC);
}

/** END payload: the single byte 03. */
export function encodeRequestEnd(): Buffer {
  return Buffer.from(END_PAYLOAD);
}

/** `RelayHttpRequestHead::fromJson()` (no assertSafe: that runs after reassembly). */
export function decodeRequestHead(json: Uint8Array): RelayHttpRequestHead {
  const data = decodeJsonObject(json, REQ_HEAD);
  const method = requireNonEmptyString(data, 'method', REQ_HEAD);
  const path = requireNonEmptyString(data, 'path', REQ_HEAD);
  if (!path.startsWith('/')) throw payloadError('http.invalid_field', REQ_HEAD, '"path" must start with "/".');
  const query = optionalString(data, 'query', REQ_HEAD);
  const headers = readHeaders(data, REQ_HEAD);
  return { method, path, query, headers };
}

/** `RelayHttpRequestCodec::decode()`: one tagged request chunk. */
export function decodeRequestChunk(payload: Uint8Array): RequestChunk {
  return decodeChunk(payload, REQ_CODEC, decodeRequestHead);
}

/**
 * Any HTTP_REQUEST payload, told apart like the server does: first byte
 * 01/02/03 is a chunk, anything else (including empty) is an envelope.
 */
export function decodeHttpRequestPayload(payload: Uint8Array): HttpRequestPayload {
  const first = payload[0];
  if (first === ChunkTag.HEAD || first === ChunkTag.BODY || first === ChunkTag.END) {
    return { form: 'chunk', chunk: decodeRequestChunk(payload) };
  }
  return { form: 'envelope', request: decodeRequestEnvelope(payload) };
}

// ---- HTTP_RESPONSE --------------------------------------------------------------

/** HEAD payload: 01 + {"status","headers","bodyLength"} (bodyLength always written). */
export function encodeResponseHead(head: RelayHttpResponseHead, style: JsonStyle = 'php'): Buffer {
  if (!Number.isSafeInteger(head.status)) {
    throw payloadError('http.invalid_field', RES_HEAD, '"status" must be an integer.');
  }
  if (head.bodyLength !== null && !Number.isSafeInteger(head.bodyLength)) {
    throw payloadError('http.invalid_field', RES_HEAD, '"bodyLength" must be an integer or null.');
  }
  checkHeadersForEncode(head.headers, RES_HEAD);
  const json = { status: head.status, headers: head.headers, bodyLength: head.bodyLength };
  return encodeTaggedJson(ChunkTag.HEAD, json, style, RES_HEAD);
}

export function encodeResponseBody(chunk: Uint8Array): Buffer {
  return bodyChunk(chunk, RES_CODEC);
}

export function encodeResponseEnd(): Buffer {
  return Buffer.from(END_PAYLOAD);
}

/** `RelayHttpResponseHead::fromJson()`: no range checks on status / bodyLength. */
export function decodeResponseHead(json: Uint8Array): RelayHttpResponseHead {
  const data = decodeJsonObject(json, RES_HEAD);
  const status = data.get('status');
  if (!isPhpInt(status)) throw payloadError('http.invalid_field', RES_HEAD, '"status" must be an integer.');
  const headers = readHeaders(data, RES_HEAD);
  const bodyLength = data.get('bodyLength') ?? null;
  if (bodyLength !== null && !isPhpInt(bodyLength)) {
    throw payloadError('http.invalid_field', RES_HEAD, '"bodyLength" must be an integer or null.');
  }
  return { status, headers, bodyLength };
}

/** `RelayHttpResponseCodec::decode()`: one tagged response chunk. */
export function decodeResponseChunk(payload: Uint8Array): ResponseChunk {
  return decodeChunk(payload, RES_CODEC, decodeResponseHead);
}

// ---- whole frames ---------------------------------------------------------------

/** HTTP_REQUEST frames HEAD, BODY*, END (empty body: HEAD + END). */
export function encodeHttpRequestFrames(
  requestId: number,
  head: RelayHttpRequestHead,
  body: Uint8Array = Buffer.alloc(0),
  style: JsonStyle = 'php',
): Buffer[] {
  const frames = [encodeFrame(FrameType.HTTP_REQUEST, requestId, encodeRequestHead(head, style))];
  for (const part of chunkBody(body)) {
    frames.push(encodeBodyFrame(FrameType.HTTP_REQUEST, requestId, part));
  }
  frames.push(encodeFrame(FrameType.HTTP_REQUEST, requestId, END_PAYLOAD));
  return frames;
}

/**
 * One HTTP_REQUEST frame with the legacy envelope. Throws FrameError
 * `frame.too_large` when the encoded envelope exceeds 65535 bytes (answer 413
 * or use encodeHttpRequestFrames).
 */
export function encodeHttpRequestEnvelopeFrame(
  requestId: number,
  req: RelayHttpRequest,
  style: JsonStyle = 'php',
): Buffer {
  return encodeFrame(FrameType.HTTP_REQUEST, requestId, encodeRequestEnvelope(req, style));
}

/** HTTP_RESPONSE frames HEAD, BODY*, END. */
export function encodeHttpResponseFrames(
  requestId: number,
  head: RelayHttpResponseHead,
  body: Uint8Array = Buffer.alloc(0),
  style: JsonStyle = 'php',
): Buffer[] {
  const frames = [encodeFrame(FrameType.HTTP_RESPONSE, requestId, encodeResponseHead(head, style))];
  for (const part of chunkBody(body)) {
    frames.push(encodeBodyFrame(FrameType.HTTP_RESPONSE, requestId, part));
  }
  frames.push(encodeFrame(FrameType.HTTP_RESPONSE, requestId, END_PAYLOAD));
  return frames;
}

/** HTTP_CANCEL: empty payload, request id in the 4-byte field. Advisory, no reply. */
export function encodeHttpCancel(requestId: number): Buffer {
  return encodeFrame(FrameType.HTTP_CANCEL, requestId);
}
