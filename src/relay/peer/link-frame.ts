/**
 * Frames of the internal link between hub replicas (docs/protocol/cluster-link.md): the relay's
 * 7-byte layout (uint32 BE id = link stream id, uint8 type, uint16 BE length, payload), one frame
 * per WebSocket message. Relay types travel unchanged; the link adds a few control types of its own
 * (0x40..0x47), which never reach a server.
 */
import { FrameType, HEADER_SIZE, MAX_FRAME_ID, MAX_PAYLOAD } from '../codec/frame.js';

export enum LinkType {
  CLIENT_CONNECT = FrameType.CLIENT_CONNECT,
  CLIENT_DISCONNECT = FrameType.CLIENT_DISCONNECT,
  DATA = FrameType.DATA,
  HTTP_REQUEST = FrameType.HTTP_REQUEST,
  HTTP_RESPONSE = FrameType.HTTP_RESPONSE,
  HTTP_CANCEL = FrameType.HTTP_CANCEL,
  /** ingress → owner: JSON {serverId, userId, kind} */
  OPEN = 0x40,
  /** owner → ingress: JSON {creditMode, requestCredit, responseCredit[, channelId]} */
  OPEN_ACK = 0x41,
  /** owner → ingress: the server's tunnel is not on this replica */
  NOT_HERE = 0x42,
  /** stop sending this stream's bytes (ingress → owner: response; owner → ingress: request body) */
  HOLD = 0x43,
  RELEASE = 0x44,
  /** owner → ingress: the server's tunnel closed; JSON {reason} */
  TUNNEL_CLOSED = 0x45,
  /** owner → ingress: the owner ended the stream; JSON {reason} */
  TERMINATE = 0x46,
  /** credit grant, uint32 BE bytes (ingress → owner: response body; owner → ingress: request body) */
  CREDIT = 0x47,
}

const KNOWN: ReadonlySet<number> = new Set(Object.values(LinkType).filter((v) => typeof v === 'number'));

export interface LinkFrame {
  readonly type: LinkType;
  readonly id: number;
  readonly payload: Buffer;
}

export class LinkFrameError extends Error {}

export function encodeLinkFrame(type: LinkType, id: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  if (!KNOWN.has(type)) throw new LinkFrameError(`unknown link frame type ${type}`);
  if (!Number.isInteger(id) || id < 0 || id > MAX_FRAME_ID) throw new LinkFrameError(`bad link stream id ${id}`);
  if (payload.length > MAX_PAYLOAD) throw new LinkFrameError(`link payload too large: ${payload.length}`);
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  out.writeUInt32BE(id, 0);
  out.writeUInt8(type, 4);
  out.writeUInt16BE(payload.length, 5);
  out.set(payload, HEADER_SIZE);
  return out;
}

/** One WebSocket message = exactly one frame; anything else is a protocol error. */
export function decodeLinkFrame(msg: Buffer): LinkFrame {
  if (msg.length < HEADER_SIZE) throw new LinkFrameError('short link frame');
  const type = msg[4]!;
  if (!KNOWN.has(type)) throw new LinkFrameError(`unknown link frame type ${type}`);
  const length = msg.readUInt16BE(5);
  if (msg.length !== HEADER_SIZE + length) throw new LinkFrameError('link frame length mismatch');
  return { type, id: msg.readUInt32BE(0), payload: msg.subarray(HEADER_SIZE) };
}

export function jsonPayload(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** A JSON object payload, or null when it is not one. */
export function parseJsonPayload(payload: Buffer): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(payload.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function creditPayload(bytes: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(Math.min(Math.max(0, Math.floor(bytes)), 0xffffffff), 0);
  return b;
}

export function readCredit(payload: Buffer): number | null {
  return payload.length === 4 ? payload.readUInt32BE(0) : null;
}
