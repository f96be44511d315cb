import { OriginProtocolError, type ResponseHead } from './http1-response.js';
import { OriginConn } from './origin-socket.js';

/** What an exchange reports to the request it carries. */
export interface ExchangeSink {
  onHead(h: ResponseHead): void;
  /**
   * A piece of the body. `view` is valid only during the call unless the sink takes the buffer
   * behind it with `takeFrame()` (possible when `framed`: the view sits at BODY_FRAME_OFFSET of a
   * pooled frame buffer, so the frame can be sent without copying the bytes).
   */
  onBody(view: Buffer, framed: boolean): void;
  onEnd(): void;
  onError(e: Error): void;
  onDrain(): void;
}

/** A request in flight to the origin, whichever client carries it. */
export interface OriginExchange {
  /** body views handed to onBody are valid only during the call */
  readonly borrowed: boolean;
  readonly writableLength: number;
  write(data: Buffer): boolean;
  end(): void;
  pause(): void;
  resume(): void;
  destroy(): void;
  takeFrame(): Buffer;
}

export interface RequestHead {
  method: string;
  path: string;
  /** name → value, already without hop-by-hop headers; Host included */
  headers: Record<string, string>;
}

const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

/**
 * Keep-alive HTTP/1.1 connections to one plain-HTTP origin. Each connection reads into memory it
 * does not allocate per read: response heads and chunked bodies into one shared buffer, bodies of
 * known length (or up to the close) straight into pooled frame buffers, so a download reaches the
 * tunnel with no copy of its bytes and no 64 KiB allocation per socket read.
 */
export class OriginPool {
  private readonly idle: OriginConn[] = [];

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly maxIdle = 256,
  ) {}

  /** Starts a request; the head goes out with the first body bytes or at `end()`. */
  exchange(head: RequestHead, sink: ExchangeSink): Exchange {
    return new Exchange(this, head, sink);
  }

  take(): { conn: OriginConn; reused: boolean } {
    const c = this.idle.pop();
    if (c) return { conn: c.wake(), reused: true };
    return { conn: new OriginConn(this), reused: false };
  }

  park(c: OriginConn): void {
    if (this.idle.length >= this.maxIdle) return c.destroy();
    this.idle.push(c);
  }

  forget(c: OriginConn): void {
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  get idleCount(): number {
    return this.idle.length;
  }
}

/** One request/response on a connection of the pool. */
export class Exchange implements OriginExchange {
  readonly borrowed = true;
  private conn!: OriginConn;
  private reused = false;
  private headSent = false;
  private chunked = false;
  private wroteBody = false;
  private ended = false;
  private gotBytes = false;
  private done = false;
  /** the framed buffer of the body piece being delivered, until the sink takes it */
  frame: Buffer | null = null;

  constructor(
    private readonly pool: OriginPool,
    private readonly head: RequestHead,
    readonly sink: ExchangeSink,
  ) {
    this.attach();
  }

  private attach(): void {
    const { conn, reused } = this.pool.take();
    this.conn = conn;
    this.reused = reused;
    conn.begin(this, this.head.method);
  }

  get writableLength(): number {
    return this.conn.socket.writableLength;
  }

  write(data: Buffer): boolean {
    if (this.done || this.ended || !data.length) return true;
    if (!this.headSent) this.sendHead(false);
    this.wroteBody = true;
    const s = this.conn.socket;
    if (!this.chunked) return s.write(data);
    s.write(`${data.length.toString(16)}\r\n`, 'latin1');
    s.write(data);
    return s.write('\r\n', 'latin1');
  }

  end(): void {
    if (this.done || this.ended) return;
    if (!this.headSent) this.sendHead(true);
    else if (this.chunked) this.conn.socket.write('0\r\n\r\n', 'latin1');
    this.ended = true;
  }

  private sendHead(bodyless: boolean): void {
    this.headSent = true;
    const { method, path, headers } = this.head;
    let hasLength = false;
    let text = `${method} ${path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(headers)) {
      if (k.toLowerCase() === 'content-length') hasLength = true;
      text += `${k}: ${v}\r\n`;
    }
    if (!hasLength) {
      if (!bodyless) {
        this.chunked = true;
        text += 'Transfer-Encoding: chunked\r\n';
      } else if (!NO_BODY_METHODS.has(method)) {
        text += 'Content-Length: 0\r\n';
      }
    }
    this.conn.socket.write(`${text}\r\n`, 'latin1');
  }

  /** The sink keeps the frame buffer behind the current `framed` body view. */
  takeFrame(): Buffer {
    const f = this.frame;
    if (!f) throw new Error('no framed body piece to take');
    this.frame = null;
    this.conn.frameTaken();
    return f;
  }

  pause(): void {
    this.conn.paused = true;
  }

  resume(): void {
    if (this.done || !this.conn.paused) return;
    this.conn.paused = false;
    this.conn.socket.resume();
  }

  destroy(): void {
    if (this.done) return;
    this.done = true;
    this.conn.destroy();
  }

  // ---- from the connection -------------------------------------------------------------------

  onHead(h: ResponseHead): void {
    this.gotBytes = true;
    this.sink.onHead(h);
  }

  onBody(view: Buffer, frame: Buffer | null): void {
    this.frame = frame;
    this.sink.onBody(view, frame !== null);
    this.frame = null;
  }

  onEnd(reusable: boolean): void {
    if (this.done) return;
    this.done = true;
    if (reusable && this.ended && this.headSent) this.conn.release();
    else this.conn.destroy();
    this.sink.onEnd();
  }

  onDrain(): void {
    if (!this.done) this.sink.onDrain();
  }

  onFailure(e: Error): void {
    if (this.done) return;
    // a kept-alive connection the origin closed just before we reused it: once more on a new one
    if (this.reused && !this.gotBytes && !this.wroteBody && !(e instanceof OriginProtocolError)) {
      const ended = this.ended; // without body bytes, the head went out only at end()
      this.headSent = false;
      this.ended = false;
      this.attach();
      if (ended) this.end();
      return;
    }
    this.done = true;
    this.sink.onError(e);
  }
}
