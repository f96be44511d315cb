import { request as httpRequest, type ClientRequest, type IncomingMessage, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import {
  MAX_BODY_CHUNK,
  assertSafeRequest,
  decodeHttpRequestPayload,
  encodeResponseEnd,
  encodeResponseHead,
  type RelayHttpRequestHead,
} from '../relay/codec/index.js';
import { CREDIT_TAG, decodeCreditPayload } from '../relay/codec/credit.js';

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
    agent: url.protocol === 'https:' ? new HttpsAgent(keepAlive) : new HttpAgent(keepAlive),
  };
}

const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function joinRaw(raw: string[], drop: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (drop.has(lower)) continue;
    const key = seen.get(lower);
    if (key !== undefined) {
      out[key] = `${out[key]}, ${raw[i + 1]}`;
    } else {
      seen.set(lower, name);
      out[name] = raw[i + 1]!;
    }
  }
  return out;
}

/**
 * One relayed request on the agent side: HTTP_REQUEST (HEAD/BODY/END or legacy envelope) → an
 * HTTP request to the origin, its response → HTTP_RESPONSE HEAD/BODY/END. Streams both ways;
 * in credit mode it never sends more body than the hub granted and grants request-body credit
 * back as the origin consumes the upload; otherwise it pauses the tunnel's reads while the
 * origin is slow to take an upload.
 */
export class OriginStream {
  private req?: ClientRequest;
  private res?: IncomingMessage;
  private done = false;
  private headSent = false;
  private sendCredit: number;
  private upReceived = 0;
  private upGranted: number;
  private downQueue: Buffer[] = [];
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
      if (p.request.body.length) this.req!.write(p.request.body);
      return void this.req!.end();
    }
    const c = p.chunk;
    if (c.kind === 'head') {
      if (this.req) return this.reply(400, 'origin.bad_request', 'Duplicate request head');
      this.start(c.head);
    } else if (!this.req) {
      this.reply(400, 'origin.bad_request', 'Request body before head');
    } else if (c.kind === 'body') {
      this.upload(c.body);
    } else {
      this.req.end();
    }
  }

  private start(head: RelayHttpRequestHead): boolean {
    try {
      assertSafeRequest(head);
      if (head.path.startsWith('//')) throw new Error('protocol-relative path');
    } catch (e) {
      this.reply(400, 'origin.bad_request', (e as Error).message);
      return false;
    }
    const { url, basePath, agent } = this.origin;
    const headers = joinRaw(Object.entries(head.headers).flat(), HOP);
    headers.Host = url.host;
    const fn = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = fn({
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port || undefined,
      agent,
      method: head.method.toUpperCase(),
      path: `${basePath}${head.path}${head.query ? `?${head.query}` : ''}`,
      headers,
    });
    this.req = req;
    req.on('response', (res) => this.onResponse(res));
    req.on('error', (e) => this.onOriginError(e));
    req.on('drain', () => this.onUpDrain());
    return true;
  }

  private upload(data: Buffer): void {
    this.upReceived += data.length;
    if (this.link.creditMode && this.upReceived > this.upGranted) return this.abort(); // the hub ignored our credit
    const ok = this.req!.write(data);
    if (this.link.creditMode) {
      this.grantUp();
    } else if (!ok && !this.holding) {
      this.holding = true;
      this.link.holdReads();
    }
  }

  private onUpDrain(): void {
    if (this.holding) {
      this.holding = false;
      this.link.releaseReads();
    }
    this.grantUp();
  }

  private grantUp(): void {
    if (!this.link.creditMode || this.done || !this.req) return;
    const w = this.link.requestWindow;
    const inc = this.upReceived + w - this.req.writableLength - this.upGranted;
    if (inc >= w / 4) {
      this.upGranted += inc;
      this.link.sendRequestCredit(this.id, inc);
    }
  }

  private onResponse(res: IncomingMessage): void {
    if (this.done) return void res.destroy();
    this.res = res;
    const headers = joinRaw(res.rawHeaders, HOP);
    const cl = res.headers['content-length'];
    const bodyLength = typeof cl === 'string' && /^\d{1,15}$/.test(cl) ? Number(cl) : null;
    this.link.sendResponse(this.id, encodeResponseHead({ status: res.statusCode ?? 502, headers, bodyLength }, 'utf8'));
    this.headSent = true;
    res.on('data', (chunk: Buffer) => {
      this.downQueue.push(chunk);
      this.pumpDown();
      if (this.downQueue.length) res.pause();
    });
    res.on('end', () => {
      this.resEnded = true;
      this.pumpDown();
    });
    res.on('aborted', () => this.abort());
    res.on('error', () => this.abort());
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
      const buf = this.downQueue[0]!;
      let n = Math.min(buf.length, MAX_BODY_CHUNK);
      if (this.link.creditMode) n = Math.min(n, this.sendCredit);
      if (n <= 0) return; // wait for the hub's credit
      this.link.sendResponseBody(this.id, buf.subarray(0, n));
      this.sendCredit -= n;
      if (n === buf.length) this.downQueue.shift();
      else this.downQueue[0] = buf.subarray(n);
    }
    if (this.done || !this.res) return;
    if (this.resEnded) {
      this.link.sendResponse(this.id, encodeResponseEnd());
      this.finish();
    } else {
      this.res.resume();
    }
  }

  private onOriginError(e: Error): void {
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
    this.req?.destroy();
    this.finish();
  }

  /** Mid-stream failure: HTTP_CANCEL tells our hub to abort the client's response. */
  private abort(): void {
    if (this.done) return;
    this.link.sendCancel(this.id);
    this.req?.destroy();
    this.finish();
  }

  /** The hub cancelled (the client went away). */
  cancel(): void {
    if (this.done) return;
    this.req?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.downQueue = [];
    if (this.holding) {
      this.holding = false;
      this.link.releaseReads();
    }
    this.link.streamDone(this.id);
  }
}
