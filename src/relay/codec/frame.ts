/**
 * Relay binary frame: 7-byte big-endian header + payload (docs/protocol/wire.md §2).
 *
 *   offset 0  uint32 BE  id   (channel id, HTTP request id, or 0)
 *   offset 4  uint8      type (FrameType, 0x01..0x12)
 *   offset 5  uint16 BE  payload length N (0..65535)
 *   offset 7  N bytes    payload
 *
 * No magic, version, flags or checksum.
 */
import { FrameError } from './errors.js';

/** Size of the fixed header. */
export const HEADER_SIZE = 7;
/** Largest payload a uint16 length can describe. */
export const MAX_PAYLOAD = 0xffff;
/** Largest complete frame on the wire (7 + 65535). */
export const MAX_FRAME_SIZE = HEADER_SIZE + MAX_PAYLOAD;
/** Largest value of the 4-byte id field. */
export const MAX_FRAME_ID = 0xffffffff;
/** Default cap on bytes the streaming decoder may hold between pushes (same as the PHP hub). */
export const MAX_DECODER_BUFFER = 131072;
/** First HTTP request id the hub allocates (client channels start at 1). */
export const FIRST_REQUEST_ID = 0x80000001;

const EMPTY = Buffer.alloc(0);

/** All 18 frame type codes of the shared `RelayFrameType` enum. */
export enum FrameType {
  HELLO = 0x01,
  HELLO_ACK = 0x02,
  CLIENT_CONNECT = 0x03,
  CLIENT_DISCONNECT = 0x04,
  DATA = 0x05,
  HEARTBEAT = 0x06,
  DISCONNECTED = 0x07,
  ERROR = 0x08,
  HUB_HELLO = 0x09,
  HUB_HELLO_ACK = 0x0a,
  HUB_HEARTBEAT = 0x0b,
  LIBRARY_SHARE_UPDATE = 0x0c,
  LIBRARY_SHARE_REVOKED = 0x0d,
  ADMIN_DELEGATION = 0x0e,
  HUB_DISCONNECTED = 0x0f,
  HTTP_REQUEST = 0x10,
  HTTP_RESPONSE = 0x11,
  HTTP_CANCEL = 0x12,
}

/**
 * Types a plain Phlix media server handles. The hub must send nothing else to a
 * server: an unknown code stalls the server's decoder for good (docs/protocol/wire.md §2.6).
 */
export const SERVER_ACCEPTS: ReadonlySet<number> = new Set<number>([
  FrameType.CLIENT_CONNECT,
  FrameType.CLIENT_DISCONNECT,
  FrameType.DATA,
  FrameType.HEARTBEAT,
  FrameType.DISCONNECTED,
  FrameType.ERROR,
  FrameType.HTTP_REQUEST,
  FrameType.HTTP_CANCEL,
]);

/**
 * Types an active server tunnel may send to the hub. Anything else is a
 * protocol error (reference hub closes with `protocol_error`). HTTP_CANCEL
 * from a server follows every response and must be ignored, not rejected.
 */
export const SERVER_SENDS: ReadonlySet<number> = new Set<number>([
  FrameType.DATA,
  FrameType.HEARTBEAT,
  FrameType.HTTP_RESPONSE,
  FrameType.HTTP_CANCEL,
]);

/** One decoded frame. `id` is the channel id, request id, or 0. */
export interface Frame {
  readonly type: FrameType;
  readonly id: number;
  readonly payload: Buffer;
}

/** Header fields, as read from the first 7 bytes. */
export interface FrameHeader {
  readonly type: FrameType;
  readonly id: number;
  readonly length: number;
}

/** True for the 18 defined codes (0x01..0x12). */
export function isFrameType(value: unknown): value is FrameType {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0x01 && value <= 0x12;
}

/** Upper-case two-digit hex, like PHP's `%02X`. */
export function hexByte(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}

/** Like the shared `RelayFrameType::fromValue()`: the code, or a FrameError. */
export function parseFrameType(value: number): FrameType {
  if (!isFrameType(value)) {
    throw new FrameError('frame.unknown_type', `Invalid relay frame type value: 0x${hexByte(value)}`);
  }
  return value;
}

/** Enum name of a code (`DATA`), or `0xNN` for an unknown one. */
export function frameTypeName(value: number): string {
  return isFrameType(value) ? FrameType[value] : `0x${hexByte(value)}`;
}

/** Throws FrameError `frame.invalid_id` unless `id` fits the uint32 id field. */
export function assertId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_FRAME_ID) {
    throw new FrameError('frame.invalid_id', `Frame id must be an integer in 0..${MAX_FRAME_ID}: ${String(id)}`);
  }
}

/** Writes one header at `offset` of `target`. */
export function writeFrameHeader(target: Buffer, offset: number, type: FrameType, id: number, length: number): void {
  target.writeUInt32BE(id, offset);
  target.writeUInt8(type, offset + 4);
  target.writeUInt16BE(length, offset + 5);
}

/**
 * Reads the header at `offset`. The caller guarantees 7 readable bytes.
 * Throws FrameError `frame.unknown_type`, or `frame.too_large` when the length
 * exceeds `maxPayload`.
 */
export function readFrameHeader(source: Buffer, offset = 0, maxPayload = MAX_PAYLOAD): FrameHeader {
  const id = source.readUInt32BE(offset);
  const type = parseFrameType(source[offset + 4]!);
  const length = source.readUInt16BE(offset + 5);
  if (length > maxPayload) {
    throw new FrameError('frame.too_large', `Frame payload length ${length} exceeds maximum of ${maxPayload} bytes`);
  }
  return { type, id, length };
}

/**
 * Encodes one frame. Rejects unknown type codes (never put one on the wire),
 * ids outside uint32 (PHP would silently keep the low 32 bits) and payloads
 * over 65535 bytes (same message as the PHP encoder).
 */
export function encodeFrame(type: FrameType, id: number, payload: Uint8Array = EMPTY): Buffer {
  parseFrameType(type);
  assertId(id);
  if (payload.length > MAX_PAYLOAD) {
    throw new FrameError(
      'frame.too_large',
      `Payload exceeds maximum length of ${MAX_PAYLOAD} bytes: ${payload.length}`,
    );
  }
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  writeFrameHeader(out, 0, type, id, payload.length);
  out.set(payload, HEADER_SIZE);
  return out;
}

/**
 * Stateless decode of the frame at `offset`, like the PHP `decode()`: `null`
 * if the frame is not complete yet, otherwise the frame (payload copied) and
 * how many bytes it used. Use FrameDecoder for a stream.
 */
export function decodeFrame(source: Buffer, offset = 0): { frame: Frame; size: number } | null {
  if (source.length - offset < HEADER_SIZE) return null;
  const header = readFrameHeader(source, offset);
  const size = HEADER_SIZE + header.length;
  if (source.length - offset < size) return null;
  const payload = Buffer.from(source.subarray(offset + HEADER_SIZE, offset + size));
  return { frame: { type: header.type, id: header.id, payload }, size };
}
