import { createRequire } from 'node:module';
import type WebSocket from 'ws';

/** Where the payload bytes of binary messages go, and how a broken peer is reported. */
export interface InboundSink {
  /** the next bytes of binary message payload, unmasked (message boundaries are not kept) */
  data(bytes: Buffer): void;
  /** the peer broke the WebSocket framing rules: close with this code */
  violation(code: number, reason: string): void;
}

type Unmask = (buf: Buffer, mask: Buffer) => void;
const unmaskNative = ((): Unmask | null => {
  try {
    const m = createRequire(import.meta.url)('bufferutil') as { unmask?: Unmask };
    return typeof m.unmask === 'function' ? m.unmask : null;
  } catch {
    return null;
  }
})();

const OP_CONT = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PONG = 0xa;

/**
 * Reads a tunnel's WebSocket frames ahead of the `ws` receiver (RFC 6455 §5, client → server, so
 * every frame is masked). Binary messages — nearly every byte of a tunnel — are unmasked in place
 * and handed on as views of the socket's read buffers, without being gathered into one buffer per
 * message. Text frames (the HELLO) and control frames (ping, pong, close) are passed to the `ws`
 * receiver byte for byte, so the handshake, keep-alive and closing handshake stay as `ws` does them.
 * Rules checked here: no RSV bits (no extensions are negotiated), masking, known opcodes, control
 * frames whole and ≤ 125 bytes, continuation only inside a fragmented message, and at most
 * `maxMessage` bytes per binary message (1009 past that).
 */
export class WsInbound {
  private readonly hdr = Buffer.allocUnsafe(14);
  private hdrLength = 0;
  /** payload bytes of the current frame still to come; -1 while reading a header */
  private left = -1;
  /** the current frame goes to `ws` as it is */
  private passing = false;
  private readonly mask = Buffer.alloc(4);
  private masked = false;
  private phase = 0;
  /** a fragmented message is open: whose it is */
  private fragments: 'binary' | 'passed' | null = null;
  private messageBytes = 0;
  private broken = false;

  constructor(
    private readonly pass: (raw: Buffer) => boolean,
    private readonly sink: InboundSink,
    private readonly maxMessage: number,
  ) {}

  /** Takes the next bytes read from the socket; false asks the caller to pause (from `ws`). */
  push(chunk: Buffer): boolean {
    let ok = true;
    let off = 0;
    while (off < chunk.length && !this.broken) {
      if (this.left < 0) {
        off = this.readHeader(chunk, off);
        if (this.left < 0 || this.broken) break;
        if (this.passing) ok = this.pass(this.headerBytes(chunk, off)) && ok;
        if (this.left === 0) this.left = -1;
        continue;
      }
      const take = Math.min(this.left, chunk.length - off);
      const piece = chunk.subarray(off, off + take);
      off += take;
      this.left -= take;
      if (this.passing) {
        ok = this.pass(piece) && ok;
      } else {
        this.unmask(piece);
        this.sink.data(piece);
      }
      if (this.left === 0) this.left = -1;
    }
    return ok;
  }

  /** Where the header just read lies (a copy when it was gathered across reads). */
  private headerStart = 0;
  private headerSize = 0;
  private headerBytes(chunk: Buffer, off: number): Buffer {
    if (this.headerStart >= 0) return chunk.subarray(this.headerStart, off);
    return Buffer.from(this.hdr.subarray(0, this.headerSize));
  }

  private readHeader(chunk: Buffer, off: number): number {
    const avail = chunk.length - off;
    if (this.hdrLength === 0 && avail >= 2) {
      const size = headerSize(chunk[off + 1]!);
      if (avail >= size) {
        this.headerStart = off;
        this.headerSize = size;
        this.parse(chunk, off);
        return off + size;
      }
    }
    // gather the header across reads
    let need = this.hdrLength < 2 ? 2 : headerSize(this.hdr[1]!);
    let pos = off;
    while (this.hdrLength < need && pos < chunk.length) {
      this.hdr[this.hdrLength++] = chunk[pos++]!;
      if (this.hdrLength === 2) need = headerSize(this.hdr[1]!);
    }
    if (this.hdrLength < need) return pos;
    this.hdrLength = 0;
    this.headerStart = -1;
    this.headerSize = need;
    this.parse(this.hdr, 0);
    return pos;
  }

  private parse(b: Buffer, at: number): void {
    const b0 = b[at]!;
    const b1 = b[at + 1]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if ((b0 & 0x70) !== 0) return this.fail(1002, 'RSV bits must be clear');
    if ((b1 & 0x80) === 0) return this.fail(1002, 'client frames must be masked');
    let length = b1 & 0x7f;
    let pos = at + 2;
    if (length === 126) {
      length = b.readUInt16BE(pos);
      pos += 2;
    } else if (length === 127) {
      const high = b.readUInt32BE(pos);
      length = high * 2 ** 32 + b.readUInt32BE(pos + 4);
      pos += 8;
      if (high > 0x1fffff) return this.fail(1009, 'frame too large');
    }
    b.copy(this.mask, 0, pos, pos + 4);
    this.masked = (this.mask[0]! | this.mask[1]! | this.mask[2]! | this.mask[3]!) !== 0;
    this.phase = 0;
    if (opcode >= OP_CLOSE) {
      if (opcode > OP_PONG) return this.fail(1002, 'unknown opcode');
      if (!fin || length > 125) return this.fail(1002, 'invalid control frame');
      this.passing = true;
    } else if (opcode === OP_CONT) {
      if (this.fragments === null) return this.fail(1002, 'continuation outside a message');
      this.passing = this.fragments === 'passed';
      if (fin) this.fragments = null;
    } else if (opcode === OP_TEXT || opcode === OP_BINARY) {
      if (this.fragments !== null) return this.fail(1002, 'new message inside a fragmented one');
      this.passing = opcode === OP_TEXT;
      if (!this.passing) this.messageBytes = 0;
      if (!fin) this.fragments = this.passing ? 'passed' : 'binary';
    } else {
      return this.fail(1002, 'unknown opcode');
    }
    if (!this.passing) {
      this.messageBytes += length;
      if (this.messageBytes > this.maxMessage) return this.fail(1009, 'message too big');
    }
    this.left = length;
  }

  private unmask(piece: Buffer): void {
    if (!this.masked || piece.length === 0) return;
    const p = this.phase;
    this.phase = (p + piece.length) & 3;
    const m = p === 0 ? this.mask : rotate(this.mask, p);
    if (unmaskNative && piece.length >= 32) return unmaskNative(piece, m);
    for (let i = 0; i < piece.length; i++) piece[i] ^= m[i & 3]!;
  }

  private fail(code: number, reason: string): void {
    this.broken = true;
    this.left = -1;
    this.sink.violation(code, reason);
  }
}

/** Size of a frame header (masked) from its second byte. */
function headerSize(b1: number): number {
  const len = b1 & 0x7f;
  return 2 + (len === 126 ? 2 : len === 127 ? 8 : 0) + ((b1 & 0x80) !== 0 ? 4 : 0);
}

function rotate(mask: Buffer, by: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  for (let i = 0; i < 4; i++) out[i] = mask[(i + by) & 3]!;
  return out;
}

/**
 * Puts a WsInbound in front of the receiver of a `ws` server-side socket: every byte `ws` would
 * parse goes through it. Returns false (nothing changed) when `ws` is not the expected shape.
 */
export function readAhead(ws: WebSocket, sink: InboundSink, maxMessage: number): boolean {
  const receiver = (ws as unknown as { _receiver?: { write?: (chunk: Buffer) => boolean } })._receiver;
  if (!receiver || typeof receiver.write !== 'function') return false;
  const write = receiver.write.bind(receiver);
  const inbound = new WsInbound(write, sink, maxMessage);
  receiver.write = (chunk: Buffer) => inbound.push(chunk);
  return true;
}
