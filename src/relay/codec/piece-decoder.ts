/**
 * Relay frame decoder over a byte stream whose chunks are read buffers (docs/protocol/wire.md §2.1),
 * for the hub's side of a tunnel, where nearly every byte is an HTTP_RESPONSE BODY chunk.
 *
 * Unlike FrameDecoder it keeps no message boundaries (the WebSocket payload is one byte stream)
 * and never reassembles a BODY frame: its data is handed over as the pieces it arrived in, views
 * of the read buffers, once the frame is complete. A piece that is less than half of its read
 * buffer is copied, so what a slow client holds never pins much more than itself. Every other
 * frame is handed over whole (the payload a view when it is most of its chunk, else a copy).
 *
 * An unknown type poisons the decoder (the stream cannot be resynchronised): the caller closes
 * the tunnel. Throws only FrameError.
 */
import { payloadOf } from './decoder.js';
import { FrameError } from './errors.js';
import { HEADER_SIZE, FrameType, readFrameHeader, type FrameHeader } from './frame.js';
import { ChunkTag } from './http.js';

export interface PieceSink {
  /** one whole frame other than an HTTP_RESPONSE BODY chunk */
  frame(type: FrameType, id: number, payload: Buffer): void;
  /** the data of one HTTP_RESPONSE BODY chunk (tag byte stripped), in the pieces it arrived in */
  body(id: number, pieces: Buffer[], length: number): void;
}

const EMPTY = Buffer.alloc(0);

export class PieceDecoder {
  private readonly head = Buffer.allocUnsafe(HEADER_SIZE);
  private headLength = 0;
  private header: FrameHeader | null = null;
  /** payload bytes of the current frame not seen yet */
  private left = 0;
  /** current frame is an HTTP_RESPONSE whose tag byte is not seen yet */
  private needTag = false;
  /** current frame is a BODY chunk (its tag byte already taken) */
  private isBody = false;
  private pieces: Buffer[] = [];
  private bodyLength = 0;
  /** whole-frame payload being collected across chunks */
  private whole: Buffer | null = null;
  private wholeLength = 0;
  private failure: FrameError | null = null;

  get poisoned(): boolean {
    return this.failure !== null;
  }

  /** Feed the next bytes; the caller hands over `chunk` (it must not be reused). */
  push(chunk: Buffer, sink: PieceSink): void {
    if (this.failure) throw new FrameError('frame.poisoned', `decoder is unusable: ${this.failure.message}`);
    try {
      this.decode(chunk, sink);
    } catch (e) {
      if (e instanceof FrameError) this.failure = e;
      throw e;
    }
  }

  private decode(chunk: Buffer, sink: PieceSink): void {
    let off = 0;
    const end = chunk.length;
    while (off < end) {
      if (this.header === null) {
        off = this.readHeader(chunk, off);
        if (this.header === null) return; // header still incomplete
        if (this.left === 0) this.complete(sink, EMPTY);
        continue;
      }
      if (this.needTag) {
        this.needTag = false;
        if (chunk[off] === ChunkTag.BODY) {
          this.isBody = true;
          off++;
          if (--this.left === 0) this.complete(sink, EMPTY);
          continue;
        }
      }
      const take = Math.min(this.left, end - off);
      if (this.isBody) {
        this.pieces.push(payloadOf(chunk, off, off + take));
        this.bodyLength += take;
      } else if (this.whole === null && take === this.left) {
        this.left = 0;
        this.complete(sink, payloadOf(chunk, off, off + take));
        off += take;
        continue;
      } else {
        this.whole ??= Buffer.allocUnsafe(this.header.length);
        chunk.copy(this.whole, this.wholeLength, off, off + take);
        this.wholeLength += take;
      }
      off += take;
      this.left -= take;
      if (this.left === 0) this.complete(sink, this.whole ?? EMPTY);
    }
  }

  /** Reads (the rest of) a frame header from `off`; returns the new offset. */
  private readHeader(chunk: Buffer, off: number): number {
    if (this.headLength === 0 && chunk.length - off >= HEADER_SIZE) {
      this.begin(readFrameHeader(chunk, off));
      return off + HEADER_SIZE;
    }
    const take = Math.min(HEADER_SIZE - this.headLength, chunk.length - off);
    chunk.copy(this.head, this.headLength, off, off + take);
    this.headLength += take;
    if (this.headLength === HEADER_SIZE) {
      this.headLength = 0;
      this.begin(readFrameHeader(this.head, 0));
    }
    return off + take;
  }

  private begin(h: FrameHeader): void {
    this.header = h;
    this.left = h.length;
    this.needTag = h.type === FrameType.HTTP_RESPONSE && h.length > 0;
  }

  private complete(sink: PieceSink, payload: Buffer): void {
    const h = this.header!;
    const { isBody, pieces, bodyLength } = this;
    this.header = null;
    this.isBody = false;
    this.whole = null;
    this.wholeLength = 0;
    if (isBody) {
      this.pieces = [];
      this.bodyLength = 0;
      sink.body(h.id, pieces, bodyLength);
    } else {
      sink.frame(h.type, h.id, payload);
    }
  }
}
