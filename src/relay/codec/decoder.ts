/**
 * Streaming relay frame decoder (docs/protocol/wire.md §2.1, §2.6).
 *
 * WebSocket messages do not have to line up with frames: one message may hold
 * several frames, and a frame may be split over several messages. `push()`
 * takes each message, returns every frame completed by it, and keeps the
 * incomplete tail for the next call.
 *
 * Memory is bounded: only the unfinished frame is kept between calls, and it
 * may never exceed `maxBufferedBytes`. Complete frames are decoded straight
 * from the incoming chunk, which is never concatenated with earlier data.
 *
 * Any error (unknown type, oversize length, buffer overflow) poisons the
 * decoder: the stream cannot be resynchronised, so every later `push()`
 * throws `frame.poisoned`. Close the tunnel (`invalid_frame`).
 */
import { FrameError } from './errors.js';
import {
  HEADER_SIZE,
  MAX_DECODER_BUFFER,
  MAX_PAYLOAD,
  readFrameHeader,
  type Frame,
  type FrameHeader,
} from './frame.js';

export interface FrameDecoderOptions {
  /** Largest accepted payload length; larger headers throw `frame.too_large`. Default 65535. */
  maxPayload?: number;
  /**
   * Most bytes of an unfinished frame held between pushes; more throws
   * `frame.buffer_overflow`. Default 131072 (the PHP hub's cap). A value
   * below 7 + maxPayload means large frames are accepted only when they
   * arrive in one chunk.
   */
  maxBufferedBytes?: number;
}

export class FrameDecoder {
  private readonly maxPayload: number;
  private readonly maxBuffered: number;
  /** Unfinished frame: header bytes first, then (once known) payload. */
  private pending: Buffer | null = null;
  private pendingLength = 0;
  /** Parsed header of the unfinished frame, once its 7 bytes are in. */
  private pendingHeader: FrameHeader | null = null;
  private failure: FrameError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    const maxPayload = options.maxPayload ?? MAX_PAYLOAD;
    const maxBuffered = options.maxBufferedBytes ?? MAX_DECODER_BUFFER;
    if (!Number.isInteger(maxPayload) || maxPayload < 0 || maxPayload > MAX_PAYLOAD) {
      throw new RangeError(`maxPayload must be an integer in 0..${MAX_PAYLOAD}`);
    }
    if (!Number.isInteger(maxBuffered) || maxBuffered < HEADER_SIZE) {
      throw new RangeError(`maxBufferedBytes must be an integer >= ${HEADER_SIZE}`);
    }
    this.maxPayload = maxPayload;
    this.maxBuffered = maxBuffered;
  }

  /** Bytes of an unfinished frame currently held. */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /** True once an error has been thrown; the decoder is then unusable. */
  get poisoned(): boolean {
    return this.failure !== null;
  }

  /**
   * Feeds one chunk (one WS binary message). Returns the frames it completes,
   * in order. A payload is a view of `chunk` only when it fills at least half of it, else its
   * own copy, so retained frames never pin much more than themselves; the caller must not reuse
   * `chunk` afterwards (ws hands each message its own buffer). Throws only FrameError.
   */
  push(chunk: Uint8Array | ArrayBuffer): Frame[] {
    if (this.failure) {
      throw new FrameError(
        'frame.poisoned',
        `FrameDecoder is unusable after an earlier error: ${this.failure.message}`,
        {
          cause: this.failure,
        },
      );
    }
    let bytes: Buffer;
    if (Buffer.isBuffer(chunk)) {
      bytes = chunk;
    } else if (chunk instanceof Uint8Array) {
      bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    } else if (chunk instanceof ArrayBuffer) {
      bytes = Buffer.from(chunk);
    } else {
      throw this.fail(
        new FrameError('frame.invalid_input', 'FrameDecoder.push() expects a Buffer, Uint8Array or ArrayBuffer'),
      );
    }
    try {
      return this.decode(bytes);
    } catch (err) {
      throw this.fail(err);
    }
  }

  private decode(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let offset = 0;

    if (this.pendingLength > 0) {
      offset = this.continuePending(chunk, frames);
      if (this.pendingLength > 0) return frames; // chunk fully consumed, frame still open
    }

    while (chunk.length - offset >= HEADER_SIZE) {
      const header = readFrameHeader(chunk, offset, this.maxPayload);
      const end = offset + HEADER_SIZE + header.length;
      if (end > chunk.length) {
        this.pendingHeader = header;
        break;
      }
      frames.push({ type: header.type, id: header.id, payload: payloadOf(chunk, offset + HEADER_SIZE, end) });
      offset = end;
    }

    if (offset < chunk.length) this.stash(chunk, offset);
    return frames;
  }

  /** Completes the held frame from the start of `chunk`; returns bytes used. */
  private continuePending(chunk: Buffer, frames: Frame[]): number {
    let used = 0;
    if (this.pendingHeader === null) {
      used = this.append(chunk, 0, HEADER_SIZE - this.pendingLength);
      if (this.pendingLength < HEADER_SIZE) return used;
      this.pendingHeader = readFrameHeader(this.pending!, 0, this.maxPayload);
    }
    const total = HEADER_SIZE + this.pendingHeader.length;
    used += this.append(chunk, used, total - this.pendingLength);
    if (this.pendingLength < total) return used;

    const header = this.pendingHeader;
    // `pending` was sized for this frame and is dropped now: the payload can be a view of it
    frames.push({ type: header.type, id: header.id, payload: this.pending!.subarray(HEADER_SIZE, total) });
    this.clear();
    return used;
  }

  /** Starts holding `chunk[offset..]` as a new unfinished frame. */
  private stash(chunk: Buffer, offset: number): void {
    this.pendingLength = 0;
    this.pending = null;
    this.append(chunk, offset, chunk.length - offset);
  }

  /** Appends up to `want` bytes of `chunk` from `offset`; returns bytes taken. */
  private append(chunk: Buffer, offset: number, want: number): number {
    const take = Math.min(want, chunk.length - offset);
    if (take <= 0) return 0;
    const needed = this.pendingLength + take;
    if (needed > this.maxBuffered) {
      throw new FrameError(
        'frame.buffer_overflow',
        `Frame decoder buffer would grow to ${needed} bytes (limit ${this.maxBuffered})`,
      );
    }
    const capacity = this.pendingHeader ? HEADER_SIZE + this.pendingHeader.length : HEADER_SIZE;
    if (this.pending === null || this.pending.length < needed) {
      const grown = Buffer.allocUnsafe(Math.max(capacity, needed));
      if (this.pending) this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    chunk.copy(this.pending, this.pendingLength, offset, offset + take);
    this.pendingLength = needed;
    return take;
  }

  private clear(): void {
    this.pending = null;
    this.pendingLength = 0;
    this.pendingHeader = null;
  }

  private fail(err: unknown): FrameError {
    const error =
      err instanceof FrameError
        ? err
        : new FrameError('frame.internal_error', `Frame decoding failed: ${String(err)}`, { cause: err });
    this.failure = error;
    this.clear();
    return error;
  }
}

/**
 * The payload as a view of `source` when it is most of it (the usual one frame per message: no
 * copy of bulk data on the hot path, and a retained frame pins at most twice its size), else a copy
 * (small frames batched in one big message must not pin the whole message).
 */
export function payloadOf(source: Buffer, start: number, end: number): Buffer {
  return (end - start) * 2 >= source.length ? source.subarray(start, end) : copy(source, start, end);
}

function copy(source: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  source.copy(out, 0, start, end);
  return out;
}
