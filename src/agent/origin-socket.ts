import { connect, type Socket } from 'node:net';
import { BODY_FRAME_OFFSET, MAX_BODY_CHUNK } from '../relay/codec/index.js';
import { sharedFramePool } from './frame-pool.js';
import { ResponseParser } from './http1-response.js';
import type { Exchange, OriginPool } from './origin-conn.js';

/** One read buffer for every origin connection of the process: reads are handled one at a time. */
const SHARED_READ = Buffer.allocUnsafeSlow(64 * 1024);
/** Idle connections are closed before common servers' keep-alive timeouts (Node's is 5 s). */
const IDLE_MS = 4000;

/** A socket to the origin and the parser of its responses. */
export class OriginConn {
  readonly socket: Socket;
  private readonly parser: ResponseParser;
  private ex: Exchange | null = null;
  private frame: Buffer | null = null;
  /** the next read lands in `frame` (all of it body), not in the shared buffer */
  private direct = false;
  private dead = false;
  paused = false;

  constructor(private readonly pool: OriginPool) {
    this.parser = new ResponseParser({
      head: (h) => this.ex?.onHead(h),
      body: (v) => this.ex?.onBody(v, this.direct ? this.frame : null),
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
      this.direct = true;
      return this.frame.subarray(BODY_FRAME_OFFSET, BODY_FRAME_OFFSET + Math.min(MAX_BODY_CHUNK, lim));
    }
    if (this.frame) sharedFramePool.give(this.frame);
    this.frame = null;
    this.direct = false;
    return SHARED_READ;
  }

  private onRead(n: number, buf: Buffer): boolean {
    const view = buf.subarray(0, n);
    try {
      if (this.direct) this.parser.pushDirect(view);
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
