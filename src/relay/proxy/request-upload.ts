import type { IncomingMessage } from 'node:http';
import { FrameType, MAX_BODY_CHUNK, encodeRequestBody, encodeRequestEnd } from '../codec/index.js';
import type { StreamCarrier } from '../tunnel/types.js';
import type { StreamLease } from '../limits/relay-limits.js';

/**
 * The up direction of one relayed request: client body → HTTP_REQUEST BODY chunks, then END.
 * The client socket is paused while the tunnel socket is congested, (credit mode) the agent's
 * credit is used up, or the limits pace the upload.
 */
export class RequestUpload {
  endSent = false;
  endSentAt = 0;
  reqEnded = false;
  /** last time request bytes moved to the server */
  lastUpAt = Date.now();
  private queue: Buffer[] = [];
  private waitingDrain = false;
  private sendCredit: number;
  private pacedUntil = 0;
  private timer = false;
  private stopped = false;

  constructor(
    private readonly t: StreamCarrier,
    private readonly id: number,
    private readonly req: IncomingMessage,
    private readonly lease: StreamLease,
    /** request bytes moved (the stream's inactivity clock) */
    private readonly onActivity: () => void,
  ) {
    this.sendCredit = t.requestCredit ?? 0;
  }

  start(): void {
    this.req.on('data', (chunk: Buffer) => this.onData(chunk));
    this.req.on('end', () => {
      this.reqEnded = true;
      this.pump();
    });
    if (this.req.readableEnded) {
      this.reqEnded = true;
      this.pump();
    }
  }

  onCredit(bytes: number): void {
    this.sendCredit = Math.min(this.sendCredit + bytes, 0xffffffff);
    this.pump();
  }

  /** The stream ended: drop what waits, discard what the client still sends. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    if (!this.reqEnded) this.req.resume();
  }

  private onData(chunk: Buffer): void {
    if (this.stopped) return;
    this.onActivity();
    this.queue.push(chunk);
    this.pump();
    if (this.queue.length) this.req.pause();
  }

  private pump(): void {
    const paced = this.pacedUntil - Date.now();
    if (paced > 0) return this.wakeLater(paced); // paced by the limits
    while (!this.stopped && this.queue.length) {
      if (this.t.congested) {
        if (!this.waitingDrain) {
          this.waitingDrain = true;
          this.t.whenDrained(() => {
            this.waitingDrain = false;
            this.pump();
          });
        }
        return;
      }
      const buf = this.queue[0]!;
      let n = Math.min(buf.length, MAX_BODY_CHUNK);
      if (this.t.creditMode) n = Math.min(n, this.sendCredit);
      if (n <= 0) return; // wait for the agent's credit
      this.t.send(FrameType.HTTP_REQUEST, this.id, encodeRequestBody(buf.subarray(0, n)));
      this.sendCredit -= n;
      this.lastUpAt = Date.now();
      this.onActivity();
      if (n === buf.length) this.queue.shift();
      else this.queue[0] = buf.subarray(n);
      const wait = this.lease.meter('up', n);
      if (wait > 0) {
        this.pacedUntil = Date.now() + wait;
        return this.wakeLater(wait);
      }
    }
    if (this.stopped) return;
    if (this.reqEnded) this.sendEnd();
    else this.req.resume();
  }

  private wakeLater(ms: number): void {
    if (this.timer) return;
    this.timer = true;
    this.t.later(ms, () => {
      this.timer = false;
      if (!this.stopped) this.pump();
    });
  }

  private sendEnd(): void {
    if (this.endSent) return;
    this.endSent = true;
    this.endSentAt = Date.now();
    this.t.send(FrameType.HTTP_REQUEST, this.id, encodeRequestEnd());
  }
}
