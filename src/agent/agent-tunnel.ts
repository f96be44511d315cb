import WebSocket from 'ws';
import {
  FrameDecoder,
  FrameType,
  encodeBodyFrame,
  encodeFrame,
  encodeHello,
  sealBodyFrame,
  type Frame,
} from '../relay/codec/index.js';
import { encodeCreditHello, encodeRequestCreditFrame, readCreditOffer } from '../relay/codec/credit.js';
import { phpJsonDecode } from '../relay/codec/json.js';
import { OriginStream, type AgentLink, type OriginTarget } from './origin-stream.js';
import { ChannelBridge, type ChannelTarget } from './channel-bridge.js';
import { HUB_DRAINING } from './reconnect.js';
import { maskOption, sharedFramePool as framePool } from './frame-pool.js';
import { WriteBatch, type Corkable } from '../common/write-batch.js';

export const AGENT_HIGH_WATER = 1024 * 1024;

export interface AgentTunnelOptions {
  url: string;
  serverId: string;
  enrollmentJwt: string;
  origin: OriginTarget;
  /** request-body window offered to the hub (credit flow control); 0 = speak the plain protocol */
  creditWindow: number;
  heartbeatMs: number;
  helloTimeoutMs: number;
  /** nothing heard from the hub for this long → the tunnel is dead */
  idleTimeoutMs: number;
  log: (msg: string) => void;
  /** where raw client channels are bridged to (null/absent = refused); see channel-bridge.ts */
  channelTarget?: ChannelTarget | null;
}

export interface TunnelClosed {
  code: number;
  reason: string;
}

/**
 * One tunnel connection of the agent: WebSocket to the hub, text HELLO (with the credit offer),
 * HELLO_ACK, then binary frames. Sends a HEARTBEAT every `heartbeatMs` (never echoes the hub's),
 * gives up when the hub is silent for `idleTimeoutMs`, and runs one OriginStream per request id.
 */
export class AgentTunnel implements AgentLink {
  creditMode = false;
  responseWindow = 0;
  requestWindow = 0;
  relaySessionId: string | null = null;
  tunnelId: string | null = null;
  readonly closed: Promise<TunnelClosed>;
  /** resolves when the hub sends DISCONNECTED `hub_draining` (it shuts down once our streams are done) */
  readonly drainRequested: Promise<void>;
  private ws!: WebSocket;
  private readonly decoder = new FrameDecoder();
  private readonly streams = new Map<number, OriginStream>();
  /** ids of recently finished requests (bounded) */
  private readonly finished = new Set<number>();
  private acked = false;
  private holds = 0;
  private lastHeard = Date.now();
  private timers: NodeJS.Timeout[] = [];
  private drainWaiters = new Set<() => void>();
  /** frames sent in one turn of the event loop leave in one write */
  private batch: WriteBatch | null = null;
  private resolveClosed!: (c: TunnelClosed) => void;
  private resolveDrain!: () => void;
  private readonly channels: ChannelBridge;

  constructor(private readonly o: AgentTunnelOptions) {
    this.closed = new Promise((res) => (this.resolveClosed = res));
    this.drainRequested = new Promise((res) => (this.resolveDrain = res));
    const isCongested = () => this.congested;
    const link = {
      get congested() {
        return isCongested();
      },
      whenDrained: (cb: () => void) => this.whenDrained(cb),
      sendFrame: (f: Buffer) => this.sendFrame(f),
      holdReads: () => this.holdReads(),
      releaseReads: () => this.releaseReads(),
    };
    this.channels = new ChannelBridge(link, o.channelTarget ?? null, o.log);
  }

  /** Connect and handshake; resolves once HELLO_ACK arrived, rejects with the close reason otherwise. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.o.url, {
        perMessageDeflate: false,
        maxPayload: 4 * 1024 * 1024,
        handshakeTimeout: this.o.helloTimeoutMs,
        ...maskOption(this.o.url),
      });
      this.ws = ws;
      let settled = false;
      const fail = (why: string) => {
        if (!settled) {
          settled = true;
          reject(new Error(why));
        }
      };
      const helloTimer = setTimeout(() => {
        fail('hello_timeout');
        ws.terminate();
      }, this.o.helloTimeoutMs);
      ws.on('open', () => {
        const sock = (ws as unknown as { _socket?: NodeJS.EventEmitter & Partial<Corkable> })._socket;
        sock?.on('drain', () => this.runDrainWaiters());
        this.batch = WriteBatch.of(sock);
        const { serverId, enrollmentJwt, creditWindow } = this.o;
        ws.send(
          creditWindow > 0
            ? encodeCreditHello(serverId, enrollmentJwt, creditWindow)
            : encodeHello({ serverId, enrollmentJwt }, 'utf8'),
        );
      });
      ws.on('message', (data, isBinary) => {
        this.lastHeard = Date.now();
        const buf = Buffer.isBuffer(data)
          ? data
          : Array.isArray(data)
            ? Buffer.concat(data)
            : Buffer.from(data as ArrayBuffer);
        if (!this.acked) {
          if (isBinary || !this.onAck(buf)) return this.close(1002, 'invalid_hello_ack');
          clearTimeout(helloTimer);
          settled = true;
          this.startTimers();
          return resolve();
        }
        if (isBinary) this.onBinary(buf);
      });
      ws.on('close', (code, reason) => {
        clearTimeout(helloTimer);
        const why = reason.toString() || `closed_${code}`;
        fail(why);
        this.teardown();
        this.resolveClosed({ code, reason: why });
      });
      ws.on('error', (e) => fail(e.message));
    });
  }

  private onAck(buf: Buffer): boolean {
    let data;
    try {
      data = phpJsonDecode(buf, 4);
    } catch {
      return false;
    }
    if (!(data instanceof Map) || data.get('type') !== 'hello_ack') return false;
    const s = data.get('relay_session_id');
    const t = data.get('tunnel_id');
    this.relaySessionId = typeof s === 'string' ? s : null;
    this.tunnelId = typeof t === 'string' ? t : null;
    const granted = this.o.creditWindow > 0 ? readCreditOffer(buf) : null;
    if (granted !== null) {
      this.creditMode = true;
      this.responseWindow = granted;
      this.requestWindow = this.o.creditWindow;
    }
    this.acked = true;
    return true;
  }

  private startTimers(): void {
    const hb = setInterval(() => this.sendFrame(encodeFrame(FrameType.HEARTBEAT, 0)), this.o.heartbeatMs);
    const idle = setInterval(
      () => {
        if (this.holds === 0 && Date.now() - this.lastHeard > this.o.idleTimeoutMs) {
          this.o.log('hub silent for too long; reconnecting');
          this.close(1001, 'hub_timeout');
          this.ws.terminate();
        }
      },
      Math.min(this.o.idleTimeoutMs, 5000),
    );
    for (const t of [hb, idle]) t.unref?.();
    this.timers.push(hb, idle);
  }

  private onBinary(buf: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.decoder.push(buf);
    } catch (e) {
      this.o.log(`bad frame from hub: ${(e as Error).message}`);
      return this.close(1002, 'invalid_frame');
    }
    for (const f of frames) {
      try {
        this.dispatch(f);
      } catch (e) {
        this.o.log(`request ${f.id} failed: ${(e as Error).message}`);
        this.streams.get(f.id)?.cancel();
      }
    }
  }

  private dispatch(f: Frame): void {
    switch (f.type) {
      case FrameType.HTTP_REQUEST: {
        let s = this.streams.get(f.id);
        if (!s) {
          // late frames of a finished (e.g. cancelled) request are dropped; a HEAD starts a new one
          if (this.finished.has(f.id) && f.payload[0] !== 0x01 && f.payload[0] !== 0x7b) return;
          this.finished.delete(f.id);
          s = new OriginStream(f.id, this, this.o.origin, this.o.log);
          this.streams.set(f.id, s);
        }
        return s.onRequestPayload(f.payload);
      }
      case FrameType.HTTP_CANCEL:
        return this.streams.get(f.id)?.cancel();
      case FrameType.CLIENT_CONNECT:
        return this.channels.onConnect(f.id);
      case FrameType.DATA:
        return this.channels.onData(f.id, f.payload);
      case FrameType.CLIENT_DISCONNECT:
        return this.channels.onDisconnect(f.id);
      case FrameType.DISCONNECTED:
        if (disconnectReason(f.payload) === HUB_DRAINING) return this.resolveDrain();
        return this.o.log(`hub says DISCONNECTED: ${f.payload.toString('utf8').slice(0, 200)}`);
      case FrameType.ERROR:
        return this.o.log(`hub says ERROR: ${f.payload.toString('utf8').slice(0, 200)}`);
      default:
        return; // HEARTBEAT: liveness only (never echoed)
    }
  }

  // ---- AgentLink ------------------------------------------------------------------------

  get congested(): boolean {
    return this.ws.bufferedAmount > AGENT_HIGH_WATER;
  }

  whenDrained(cb: () => void): void {
    if (!this.congested) return void setImmediate(cb);
    this.drainWaiters.add(cb);
  }

  private runDrainWaiters(): void {
    const w = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const cb of w) cb();
  }

  private sendFrame(frame: Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.batch?.add();
    this.ws.send(frame, { binary: true });
  }

  sendResponse(id: number, payload: Buffer): void {
    this.sendFrame(encodeFrame(FrameType.HTTP_RESPONSE, id, payload));
  }

  /**
   * One BODY chunk of a response (the hot path of a download): copied once, into a pooled buffer
   * that is reused once ws has written it to the socket.
   */
  sendResponseBody(id: number, chunk: Buffer): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const slot = framePool.take();
    this.sendPooled(slot, encodeBodyFrame(FrameType.HTTP_RESPONSE, id, chunk, slot));
  }

  /** A BODY frame whose bytes were read straight into `frame` (from the pool); sent without a copy. */
  sendResponseFrame(id: number, frame: Buffer, length: number): void {
    if (this.ws.readyState !== WebSocket.OPEN) return framePool.give(frame);
    this.sendPooled(frame, sealBodyFrame(FrameType.HTTP_RESPONSE, id, frame, length));
  }

  /** Sends a frame built in the pooled buffer `slot`; the buffer goes back once ws has written it. */
  private sendPooled(slot: Buffer, frame: Buffer): void {
    this.batch?.add();
    this.ws.send(frame, { binary: true }, (err) => {
      if (!err) framePool.give(slot);
    });
  }

  sendCancel(id: number): void {
    this.sendFrame(encodeFrame(FrameType.HTTP_CANCEL, id));
  }

  sendRequestCredit(id: number, bytes: number): void {
    if (this.creditMode) this.sendFrame(encodeRequestCreditFrame(id, bytes));
  }

  holdReads(): void {
    if (this.holds++ === 0) this.ws.pause();
  }

  releaseReads(): void {
    if (this.holds > 0 && --this.holds === 0) this.ws.resume();
  }

  streamDone(id: number): void {
    this.streams.delete(id);
    this.finished.add(id);
    if (this.finished.size > 4096) this.finished.delete(this.finished.values().next().value!);
  }

  get activeStreams(): number {
    return this.streams.size + this.channels.count;
  }

  close(code = 1000, reason = 'agent_closing'): void {
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) {
      this.ws.close(code, reason);
      const kill = setTimeout(() => this.ws.terminate(), 2000);
      kill.unref?.();
    }
  }

  private teardown(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const s of [...this.streams.values()]) s.cancel();
    this.streams.clear();
    this.channels.closeAll();
    this.drainWaiters.clear();
  }
}

/** `reason` of a DISCONNECTED payload (`{"reason": "…"}`), or null */
export function disconnectReason(payload: Buffer): string | null {
  try {
    const r = (JSON.parse(payload.toString('utf8')) as { reason?: unknown } | null)?.reason;
    return typeof r === 'string' ? r : null;
  } catch {
    return null;
  }
}
