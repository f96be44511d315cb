import type { IncomingMessage, ServerResponse } from 'node:http';
import { FrameType, HttpPayloadError, decodeResponseChunk, type RelayHttpResponseHead } from '../codec/index.js';
import type { StreamCarrier } from '../tunnel/types.js';
import type { AccessCheckedStream } from '../tunnel/live-streams.js';
import type { RelayAction, StreamLease } from '../limits/relay-limits.js';
import { filterResponseHeaders } from './proxy-headers.js';
import { RequestUpload } from './request-upload.js';
import type { ResponseScreen } from './grantee-screen.js';
import {
  FAIL_BAD,
  FAIL_QUOTA,
  FAIL_REVOKED,
  FAIL_TIMEOUT,
  FAIL_UNREACHABLE,
  writeFailure,
  type Failure,
} from './stream-failures.js';

export interface StreamTimeouts {
  /** from the end of the request to the response head */
  ttfbMs: number;
  /** no progress (while not blocked on the client) */
  idleMs: number;
  /** absolute ceiling; 0 = none */
  maxMs: number;
}

export interface RelayHttpStreamOptions {
  tunnel: StreamCarrier;
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** encoded HEAD payload (01 + JSON) */
  headPayload: Buffer;
  userId: string;
  serverId: string;
  role: 'owner' | 'grantee';
  action: RelayAction;
  libraryId: string | null;
  wholeServerOnly?: boolean;
  lease: StreamLease;
  timeouts: StreamTimeouts;
  /** per-stream bound on response bytes buffered in the hub (plain) / credit window (credit mode) */
  window: number;
  /** plain mode: longest time this stream may hold the shared tunnel's reads for a client that does not read */
  stallMs: number;
  /** grantees: judges the response head before any body byte is written (grantee-screen.ts) */
  screen?: ResponseScreen;
  /** adjusts the filtered response headers (a server on its own origin keeps its own policy) */
  responseHeaders?: (headers: Record<string, string | string[]>, fromServer: RelayHttpResponseHead['headers']) => void;
}

/** How often a plain stream holding the tunnel's reads looks whether its client took some bytes. */
const FULL_POLL_MS = 50;

/**
 * One proxied HTTP exchange over a tunnel, streamed both ways with bounded memory:
 *  - up: client body → HTTP_REQUEST BODY chunks (request-upload.ts);
 *  - down: HTTP_RESPONSE HEAD/BODY/END → the client as they arrive (status, Content-Length,
 *    Content-Range kept). When the client is slow, credit mode simply grants no more credit;
 *    plain mode (no flow control on the wire) stops reading the shared tunnel socket once `window`
 *    bytes wait for this client, until it takes some of them, but for at most `stallMs`: a client
 *    that does not read is cut (HTTP_CANCEL of this stream only, its response aborted), so other
 *    streams of the tunnel never wait longer than that on it (alone on the tunnel, nobody waits).
 * Before the head is written failures answer {error, code}; after it they abort the connection.
 */
export class RelayHttpStream implements AccessCheckedStream {
  private id = 0;
  private done = false;
  private headWritten = false;
  private up!: RequestUpload;
  private received = 0;
  private granted = 0;
  private written = 0;
  private expected: number | null = null;
  private noBody = false;
  private cap: number | null = null;
  private served: RelayAction;
  private holding = false;
  /** plain mode: since when `window` bytes wait for this client (reads held for it) */
  private fullSince: number | null = null;
  private fullPoll = false;
  private throttledUntil = 0;
  private paceTimer = false;
  private blockedSince: number | null = null;
  private lastActivity = Date.now();
  private readonly startedAt = Date.now();
  private readonly t: StreamCarrier;

  constructor(private readonly o: RelayHttpStreamOptions) {
    this.t = o.tunnel;
    this.served = o.action;
  }

  get userId(): string {
    return this.o.userId;
  }
  get serverId(): string {
    return this.o.serverId;
  }
  get role(): 'owner' | 'grantee' {
    return this.o.role;
  }
  get action(): RelayAction {
    return this.served;
  }
  get libraryId(): string | null {
    return this.o.libraryId;
  }
  get wholeServerOnly(): boolean {
    return this.o.wholeServerOnly === true;
  }

  /** Open the request on the tunnel and start both directions. */
  start(): void {
    const { req, res } = this.o;
    this.id = this.t.openStream(this);
    this.granted = this.t.responseCredit;
    this.up = new RequestUpload(this.t, this.id, req, this.o.lease, () => (this.lastActivity = Date.now()));
    this.t.send(FrameType.HTTP_REQUEST, this.id, this.o.headPayload);
    res.on('close', () => this.onClientClose());
    res.on('drain', () => this.onClientDrain());
    res.on('error', () => undefined);
    req.on('error', () => this.cancel());
    this.up.start();
  }

  onCredit(bytes: number): void {
    this.up.onCredit(bytes);
  }

  // ---- down: server → client ----------------------------------------------------------

  onResponsePayload(payload: Buffer): void {
    if (this.done) return;
    this.lastActivity = Date.now();
    let chunk;
    try {
      chunk = decodeResponseChunk(payload);
    } catch (e) {
      if (e instanceof HttpPayloadError) return this.fail(FAIL_BAD, true);
      throw e;
    }
    if (chunk.kind === 'head') return this.headWritten ? this.fail(FAIL_BAD, true) : this.writeHead(chunk.head);
    if (!this.headWritten) return this.fail(FAIL_BAD, true); // BODY/END before HEAD
    if (chunk.kind === 'body') return this.onBody([chunk.body], chunk.body.length);
    this.finish();
  }

  /** A BODY chunk as the pieces it arrived in from the tunnel socket (written without joining them). */
  onResponseBody(pieces: Buffer[], length: number): void {
    if (this.done) return;
    this.lastActivity = Date.now();
    if (!this.headWritten) return this.fail(FAIL_BAD, true); // BODY before HEAD
    this.onBody(pieces, length);
  }

  private writeHead(head: RelayHttpResponseHead): void {
    const status = head.status;
    if (!Number.isInteger(status) || status < 200 || status > 599) return this.fail(FAIL_BAD, true);
    const { headers, contentLength } = filterResponseHeaders(head.headers);
    this.o.responseHeaders?.(headers, head.headers);
    const bodyLength = head.bodyLength !== null && head.bodyLength >= 0 ? head.bodyLength : null;
    const declared = contentLength ?? bodyLength;
    if (declared !== null) headers['content-length'] = String(declared);
    this.noBody = this.o.method.toUpperCase() === 'HEAD' || status === 204 || status === 304;
    const verdict = this.o.screen?.(status, headers, this.noBody ? 0 : declared);
    if (verdict?.refuse) return this.fail(verdict.refuse, true);
    if (verdict) [this.served, this.cap] = [verdict.action, verdict.cap];
    this.expected = this.noBody ? 0 : declared;
    if (status === 204 || status === 304) delete headers['content-length'];
    try {
      this.o.res.writeHead(status, headers);
    } catch {
      return this.fail(FAIL_BAD, true);
    }
    this.headWritten = true;
  }

  private onBody(pieces: Buffer[], n: number): void {
    this.received += n;
    if (this.t.creditMode && this.received > this.granted) return this.abort(true); // agent ignored its credit
    if (this.noBody || n === 0) return this.maybeGrant();
    if (this.expected !== null && this.written + n > this.expected) return this.abort(true);
    if (this.cap !== null && this.written + n > this.cap) return this.abort(true); // beyond what the share allows whole
    this.written += n;
    const res = this.o.res;
    if (pieces.length === 1) {
      res.write(pieces[0]);
    } else {
      res.cork(); // one write of all pieces
      for (const p of pieces) res.write(p);
      res.uncork();
    }
    const wait = this.o.lease.meter('down', n);
    if (wait > 0) this.throttle(wait);
    if (this.o.res.writableNeedDrain) this.blockedSince ??= Date.now();
    if (this.t.creditMode) this.maybeGrant();
    else if (this.o.res.writableLength >= this.o.window) this.bufferFull();
  }

  /** Plain mode: `window` bytes wait for this client. Hold the tunnel's reads, for at most stallMs. */
  private bufferFull(): void {
    this.fullSince ??= Date.now();
    if (!this.holding) {
      this.holding = true;
      this.t.holdReads();
    }
    if (this.fullPoll) return;
    this.fullPoll = true;
    this.t.later(FULL_POLL_MS, () => this.checkFull());
  }

  private checkFull(): void {
    this.fullPoll = false;
    if (this.done || this.fullSince === null) return;
    if (this.o.res.writableLength < this.o.window) return this.unblockPlain(); // it took some: the tunnel goes on
    // alone on the tunnel nobody waits on it (the stream idle timeout still applies); the clock starts
    // when another stream or channel rides the tunnel
    if (this.t.riders <= 1) this.fullSince = Date.now();
    else if (Date.now() - this.fullSince >= this.o.stallMs) return this.abort(true); // not reading: cut this stream only
    this.fullPoll = true;
    this.t.later(FULL_POLL_MS, () => this.checkFull());
  }

  private unblockPlain(): void {
    this.fullSince = null;
    if (this.holding && Date.now() >= this.throttledUntil) {
      this.holding = false;
      this.t.releaseReads();
    }
  }

  /** Credit mode: keep (credit outstanding at the agent + bytes buffered here) ≤ window. */
  private maybeGrant(): void {
    if (!this.t.creditMode || this.done || Date.now() < this.throttledUntil) return;
    const inc = this.received + this.o.window - this.o.res.writableLength - this.granted;
    if (inc >= this.o.window / 4) {
      this.granted += inc;
      this.t.sendCredit(this.id, inc);
    }
  }

  private onClientDrain(): void {
    this.blockedSince = null;
    this.unblockPlain();
    this.maybeGrant();
  }

  private throttle(ms: number): void {
    this.throttledUntil = Math.max(this.throttledUntil, Date.now() + ms);
    if (!this.t.creditMode && !this.holding) {
      this.holding = true;
      this.t.holdReads();
    }
    if (this.paceTimer) return; // one pending wake-up per stream
    this.paceTimer = true;
    this.t.later(ms, () => this.afterPause());
  }

  /** Timers may fire a little before Date.now() says the pause is over: wait out the rest. */
  private afterPause(): void {
    this.paceTimer = false;
    if (this.done) return;
    const left = this.throttledUntil - Date.now();
    if (left > 0) {
      this.paceTimer = true;
      return this.t.later(left, () => this.afterPause());
    }
    if (!this.o.res.writableNeedDrain) this.onClientDrain();
  }

  private finish(): void {
    if (this.expected !== null && !this.noBody && this.written !== this.expected) return this.abort(true); // truncated
    this.cleanup(false);
    this.o.res.end();
  }

  // ---- endings --------------------------------------------------------------------------

  onServerCancel(): void {
    if (this.done) return;
    this.fail(FAIL_BAD, false);
  }

  onTunnelClosed(): void {
    if (this.done) return;
    this.fail(FAIL_UNREACHABLE, false);
  }

  terminate(reason: string): void {
    if (this.done) return;
    this.fail(
      reason === 'access_revoked' ? FAIL_REVOKED : reason === 'quota_exceeded' ? FAIL_QUOTA : FAIL_UNREACHABLE,
      true,
    );
  }

  tick(now: number): void {
    if (this.done) return;
    const { ttfbMs, idleMs, maxMs } = this.o.timeouts;
    if (maxMs > 0 && now - this.startedAt > maxMs) return this.fail(FAIL_TIMEOUT, true);
    if (this.blockedSince !== null) {
      if (now - this.blockedSince > idleMs) this.abort(true); // the client stopped reading
      return;
    }
    // no response head yet: its slot is held at most ttfbMs after the request went out, or after the
    // request body last moved while it is still being sent (a stalled upload does not hold it)
    const up = this.up;
    if (!this.headWritten && now - (up.endSent ? up.endSentAt : up.lastUpAt) > ttfbMs) {
      return this.fail(FAIL_TIMEOUT, true);
    }
    if (now - this.lastActivity > idleMs && !(this.headWritten && this.o.res.writableNeedDrain)) {
      this.fail(FAIL_TIMEOUT, true);
    }
  }

  /** The browser went away before the end: tell the server to stop. */
  private onClientClose(): void {
    if (!this.done) this.cancel();
  }

  private cancel(): void {
    if (this.done) return;
    this.cleanup(true);
    if (!this.o.res.writableEnded) this.o.res.destroy();
  }

  /** Before the head: an error answer. After it: abort (never a second response). */
  private fail(f: Failure, notifyServer: boolean): void {
    if (this.done) return;
    if (this.headWritten || this.o.res.headersSent) return this.abort(notifyServer);
    this.cleanup(notifyServer);
    writeFailure(this.o.res, f);
  }

  private abort(notifyServer: boolean): void {
    if (this.done) return;
    this.cleanup(notifyServer);
    this.o.res.destroy();
  }

  private cleanup(sendCancel: boolean): void {
    if (this.done) return;
    this.done = true;
    this.up.stop();
    this.t.endStream(this.id);
    if (sendCancel && this.t.state !== 'closed') this.t.send(FrameType.HTTP_CANCEL, this.id);
    if (this.holding) {
      this.holding = false;
      this.t.releaseReads();
    }
    this.o.lease.release();
  }
}
