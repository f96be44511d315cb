import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  BODY_FRAME_OFFSET,
  MAX_BODY_CHUNK,
  assertSafeRequest,
  decodeHttpRequestPayload,
  encodeResponseEnd,
  encodeResponseHead,
  type RelayHttpRequestHead,
} from '../relay/codec/index.js';
import { CREDIT_TAG, decodeCreditPayload } from '../relay/codec/credit.js';
import { OriginPool, type ExchangeSink, type OriginExchange, type RequestHead } from './origin-conn.js';
import { nodeExchange } from './origin-node.js';
import type { ResponseHead } from './http1-response.js';
import { sharedFramePool } from './frame-pool.js';
import { HOP, checkOriginRequest, firstValue, joinRaw } from './origin-headers.js';

/** What an origin stream needs from the tunnel it rides on. */
export interface AgentLink {
  readonly creditMode: boolean;
  /** credit the hub granted us per response body */
  readonly responseWindow: number;
  /** credit we granted the hub per request body */
  readonly requestWindow: number;
  readonly congested: boolean;
  whenDrained(cb: () => void): void;
  sendResponse(id: number, payload: Buffer): void;
  sendResponseBody(id: number, chunk: Buffer): void;
  /** a BODY frame whose `length` bytes sit at BODY_FRAME_OFFSET of a pooled `frame` (the link gives it back) */
  sendResponseFrame(id: number, frame: Buffer, length: number): void;
  sendCancel(id: number): void;
  sendRequestCredit(id: number, bytes: number): void;
  holdReads(): void;
  releaseReads(): void;
  streamDone(id: number): void;
}

export interface OriginTarget {
  url: URL;
  /** base path of the origin URL without trailing slash ('' for the root) */
  basePath: string;
  /** plain HTTP: our own keep-alive connections (no per-read allocation, bodies read into frames) */
  pool: OriginPool | null;
  /** HTTPS: Node's client */
  agent: HttpAgent;
}

export function originTarget(origin: string): OriginTarget {
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--origin must be an http(s) URL: ${origin}`);
  }
  const keepAlive = { keepAlive: true, maxSockets: 256 };
  return {
    url,
    basePath: url.pathname.replace(/\/+$/, ''),
    pool:
      url.protocol === 'http:' ? new OriginPool(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 80)) : null,
    agent: url.protocol === 'https:' ? new HttpsAgent(keepAlive) : new HttpAgent(keepAlive),
  };
}

/** A piece of the response body waiting for credit or a drained tunnel. */
interface Pending {
  data: Buffer;
  /** the pooled frame `data` was read into (data starts at BODY_FRAME_OFFSET until partly sent) */
  frame: Buffer | null;
}

/**
 * One relayed request on the agent side: HTTP_REQUEST (HEAD/BODY/END or legacy envelope) → an
 * HTTP request to the origin, its response → HTTP_RESPONSE HEAD/BODY/END. Streams both ways;
 * in credit mode it never sends more body than the hub granted and grants request-body credit
 * back as the origin consumes the upload; otherwise it pauses the tunnel's reads while the
 * origin is slow to take an upload.
 */
export class OriginStream implements ExchangeSink {
  private ex?: OriginExchange;
  private done = false;
  private headSent = false;
  private sendCredit: number;
  private upReceived = 0;
  private upGranted: number;
  private downQueue: Pending[] = [];
  private resEnded = false;
  private waitingDrain = false;
  private holding = false;

  constructor(
    readonly id: number,
    private readonly link: AgentLink,
    private readonly origin: OriginTarget,
    /** the agent's local log (details that must not reach clients, e.g. the origin's address) */
    private readonly log: (msg: string) => void = () => undefined,
  ) {
    this.sendCredit = link.responseWindow;
    this.upGranted = link.requestWindow;
  }

  onRequestPayload(payload: Buffer): void {
    if (this.done) return;
    if (this.link.creditMode && payload[0] === CREDIT_TAG) {
      const n = decodeCreditPayload(payload);
      if (n !== null) {
        this.sendCredit += n;
        this.pumpDown();
      }
      return;
    }
    let p;
    try {
      p = decodeHttpRequestPayload(payload);
    } catch (e) {
      return this.reply(400, 'origin.bad_request', `Bad relayed request: ${(e as Error).message}`);
    }
    if (p.form === 'envelope') {
      if (!this.start(p.request)) return;
      if (p.request.body.length) this.ex!.write(p.request.body);
      return void this.ex?.end();
    }
    const c = p.chunk;
    if (c.kind === 'head') {
      if (this.ex) return this.reply(400, 'origin.bad_request', 'Duplicate request head');
      this.start(c.head);
    } else if (!this.ex) {
      this.reply(400, 'origin.bad_request', 'Request body before head');
    } else if (c.kind === 'body') {
      this.upload(c.body);
    } else {
      this.ex.end();
    }
  }

  private start(h: RelayHttpRequestHead): boolean {
    const { url, basePath, agent, pool } = this.origin;
    const headers = joinRaw(Object.entries(h.headers).flat(), HOP);
    headers.Host = url.host;
    const head: RequestHead = {
      method: h.method.toUpperCase(),
      path: `${basePath}${h.path}${h.query ? `?${h.query}` : ''}`,
      headers,
    };
    try {
      assertSafeRequest(h);
      if (h.path.startsWith('//')) throw new Error('protocol-relative path');
      checkOriginRequest(head);
    } catch (e) {
      this.reply(400, 'origin.bad_request', (e as Error).message);
      return false;
    }
    this.ex = pool ? pool.exchange(head, this) : nodeExchange(url, agent, head, this);
    return true;
  }

  private upload(data: Buffer): void {
    this.upReceived += data.length;
    if (this.link.creditMode && this.upReceived > this.upGranted) return this.abort(); // the hub ignored our credit
    const ok = this.ex!.write(data);
    if (this.link.creditMode) {
      this.grantUp();
    } else if (!ok && !this.holding) {
      this.holding = true;
      this.link.holdReads();
    }
  }

  onDrain(): void {
    if (this.holding) {
      this.holding = false;
      this.link.releaseReads();
    }
    this.grantUp();
  }

  private grantUp(): void {
    if (!this.link.creditMode || this.done || !this.ex) return;
    const w = this.link.requestWindow;
    const inc = this.upReceived + w - this.ex.writableLength - this.upGranted;
    if (inc >= w / 4) {
      this.upGranted += inc;
      this.link.sendRequestCredit(this.id, inc);
    }
  }

  onHead(res: ResponseHead): void {
    if (this.done) return;
    const headers = joinRaw(res.rawHeaders, HOP);
    const cl = firstValue(res.rawHeaders, 'content-length');
    const bodyLength = cl !== undefined && /^\d{1,15}$/.test(cl) ? Number(cl) : null;
    this.link.sendResponse(this.id, encodeResponseHead({ status: res.status, headers, bodyLength }, 'utf8'));
    this.headSent = true;
  }

  onBody(view: Buffer, framed: boolean): void {
    if (this.done || !this.ex) return;
    if (!this.downQueue.length && framed && this.canSend(view.length)) {
      this.link.sendResponseFrame(this.id, this.ex.takeFrame(), view.length);
      this.sendCredit -= view.length;
      return;
    }
    // a borrowed view that may go now is framed from where it lies (one copy, no queue)
    while (!this.downQueue.length && !framed && view.length) {
      const k = Math.min(view.length, MAX_BODY_CHUNK);
      if (!this.canSend(k)) break;
      this.link.sendResponseBody(this.id, view.subarray(0, k));
      this.sendCredit -= k;
      view = view.subarray(k);
    }
    if (!view.length) return;
    if (framed) this.downQueue.push({ data: view, frame: this.ex.takeFrame() });
    else this.downQueue.push({ data: this.ex.borrowed ? Buffer.from(view) : view, frame: null });
    this.pumpDown();
    if (this.downQueue.length) this.ex.pause();
  }

  onEnd(): void {
    this.resEnded = true;
    this.pumpDown();
  }

  private canSend(n: number): boolean {
    return !this.link.congested && (!this.link.creditMode || this.sendCredit >= n);
  }

  private pumpDown(): void {
    while (!this.done && this.downQueue.length) {
      if (this.link.congested) {
        if (!this.waitingDrain) {
          this.waitingDrain = true;
          this.link.whenDrained(() => {
            this.waitingDrain = false;
            this.pumpDown();
          });
        }
        return;
      }
      const p = this.downQueue[0]!;
      let n = Math.min(p.data.length, MAX_BODY_CHUNK);
      if (this.link.creditMode) n = Math.min(n, this.sendCredit);
      if (n <= 0) return; // wait for the hub's credit
      const whole = n === p.data.length;
      if (whole && p.frame && p.data.byteOffset === p.frame.byteOffset + BODY_FRAME_OFFSET) {
        this.link.sendResponseFrame(this.id, p.frame, n);
        p.frame = null;
      } else {
        this.link.sendResponseBody(this.id, p.data.subarray(0, n));
      }
      this.sendCredit -= n;
      if (whole) {
        if (p.frame) sharedFramePool.give(p.frame);
        this.downQueue.shift();
      } else {
        p.data = p.data.subarray(n);
      }
    }
    if (this.done || !this.ex) return;
    if (this.resEnded) {
      this.link.sendResponse(this.id, encodeResponseEnd());
      this.finish();
    } else {
      this.ex.resume();
    }
  }

  onError(e: Error): void {
    if (this.done) return;
    // the cause (e.g. "connect ECONNREFUSED 127.0.0.1:8096") names the origin's address: local log only
    this.log(`request ${this.id}: origin request failed: ${e.message}`);
    if (this.headSent) return this.abort();
    this.reply(502, 'origin.unreachable', 'The media server could not be reached');
  }

  /** A complete small `{error, code}` answer (errors before anything reached the hub). */
  private reply(status: number, code: string, message: string): void {
    if (this.done || this.headSent) return this.abort();
    const body = Buffer.from(JSON.stringify({ error: message.slice(0, 500), code }));
    const headers = { 'Content-Type': 'application/json; charset=utf-8' };
    this.link.sendResponse(this.id, encodeResponseHead({ status, headers, bodyLength: body.length }, 'utf8'));
    this.link.sendResponseBody(this.id, body);
    this.link.sendResponse(this.id, encodeResponseEnd());
    this.headSent = true;
    this.ex?.destroy();
    this.finish();
  }

  /** Mid-stream failure: HTTP_CANCEL tells our hub to abort the client's response. */
  private abort(): void {
    if (this.done) return;
    this.link.sendCancel(this.id);
    this.ex?.destroy();
    this.finish();
  }

  /** The hub cancelled (the client went away). */
  cancel(): void {
    if (this.done) return;
    this.ex?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const p of this.downQueue) if (p.frame) sharedFramePool.give(p.frame);
    this.downQueue = [];
    if (this.holding) {
      this.holding = false;
      this.link.releaseReads();
    }
    this.link.streamDone(this.id);
  }
}
