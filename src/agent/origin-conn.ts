import { connect, type Socket } from 'node:net';
import { BODY_FRAME_OFFSET, MAX_BODY_CHUNK } from '../relay/codec/index.js';
import { sharedFramePool } from './frame-pool.js';
import { OriginProtocolError, ResponseParser, type ResponseHead } from './http1-response.js';

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

/** One read buffer for every origin connection of the process: reads are handled one at a time. */
const SHARED_READ = Buffer.allocUnsafeSlow(64 * 1024);
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);
/** Idle connections are closed before common servers' keep-alive timeouts (Node's is 5 s). */
const IDLE_MS = 4000;

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
      const [headSent, ended] = [this.headSent, this.ended];
      this.headSent = false;
      this.ended = false;
      this.attach();
      if (ended || headSent) this.end();
      return;
    }
    this.done = true;
    this.sink.onError(e);
  }
}

/** A socket to the origin and the parser of its responses. */
export class OriginConn {
  readonly socket: Socket;
  private readonly parser: ResponseParser;
  private ex: Exchange | null = null;
  private frame: Buffer | null = null;
  private reading: Buffer | null = null;
  private dead = false;
  paused = false;

  constructor(private readonly pool: OriginPool) {
    this.parser = new ResponseParser({
      head: (h) => this.ex?.onHead(h),
      body: (v) => this.ex?.onBody(v, this.reading && v.buffer === this.reading.buffer ? this.frame : null),
      end: () => this.ex?.onEnd(this.parser.reusable),
    });
    this.socket = connect({
      host: pool.host,
      port: pool.port,
      onread: { buffer: () => this.nextBuffer(), callback: (n, buf) => this.onRead(n, buf as Buffer) },
    });
    this.socket.setNoDelay(true);
    this.socket.on('drain', () => this.ex?.onDrain());
    this.socket.on('end', () => this.onEof());
    this.socket.on('error', (e) => this.fail(e));
    this.socket.on('close', () => this.fail(new Error('origin connection closed')));
    this.socket.on('timeout', () => this.destroy());
  }

  begin(ex: Exchange, method: string): void {
    this.ex = ex;
    this.paused = false;
    this.parser.expect(method);
  }

  wake(): this {
    this.socket.setTimeout(0);
    return this;
  }

  /** Where the next socket read lands. */
  private nextBuffer(): Buffer {
    const lim = this.ex ? this.parser.directLimit : 0;
    if (lim > 0) {
      this.frame ??= sharedFramePool.take();
      this.reading = this.frame;
      return this.frame.subarray(BODY_FRAME_OFFSET, BODY_FRAME_OFFSET + Math.min(MAX_BODY_CHUNK, lim));
    }
    if (this.frame) sharedFramePool.give(this.frame);
    this.frame = null;
    this.reading = null;
    return SHARED_READ;
  }

  private onRead(n: number, buf: Buffer): boolean {
    const view = buf.subarray(0, n);
    try {
      if (this.ex && this.reading !== null && buf.buffer === this.reading.buffer) this.parser.pushDirect(view);
      else this.parser.push(view);
    } catch (e) {
      this.fail(e as Error);
      return false;
    }
    if (!this.ex && this.parser.overrun) this.destroy(); // bytes on an idle connection
    return !this.paused;
  }

  frameTaken(): void {
    this.frame = null;
  }

  release(): void {
    this.ex = null;
    if (this.dead || this.paused) return this.destroy();
    this.socket.setTimeout(IDLE_MS);
    this.pool.park(this);
  }

  private onEof(): void {
    try {
      this.parser.eof();
    } catch (e) {
      return this.fail(e as Error);
    }
    this.destroy();
  }

  private fail(e: Error): void {
    const ex = this.ex;
    this.destroy();
    ex?.onFailure(e);
  }

  destroy(): void {
    this.ex = null;
    this.pool.forget(this);
    if (this.dead) return;
    this.dead = true;
    this.socket.destroy();
  }
}
