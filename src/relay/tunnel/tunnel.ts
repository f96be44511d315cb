import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import WebSocket from 'ws';
import {
  FIRST_REQUEST_ID,
  FrameDecoder,
  FrameError,
  FrameType,
  SERVER_ACCEPTS,
  ChunkTag,
  encodeFrame,
  type Frame,
} from '../codec/index.js';
import { CREDIT_TAG, decodeCreditPayload, encodeResponseCreditFrame } from '../codec/credit.js';
import { PieceDecoder, type PieceSink } from '../codec/piece-decoder.js';
import { readAhead } from './ws-inbound.js';
import type { StreamCarrier, TunnelHost, TunnelStream } from './types.js';
import { recordRelayBytes } from '../../metrics/relay-bytes.js';
import { WriteBatch, type Corkable } from '../../common/write-batch.js';

export type { TunnelHost, TunnelStream } from './types.js';

/** Hub → server bytes queued in the socket above which body producers wait for 'drain'. */
export const TUNNEL_HIGH_WATER = 1024 * 1024;
/** Queued bytes at which the tunnel is considered stuck for good (only control frames can get here). */
export const TUNNEL_HARD_CAP = 16 * 1024 * 1024;

/** Largest WebSocket message accepted on a tunnel (several frames may share one message). */
export const MAX_WS_MESSAGE = 1024 * 1024;

export type TunnelState = 'pending' | 'active' | 'draining' | 'closed';

const log = new Logger('RelayTunnel');
const BODY_TAG = Buffer.of(ChunkTag.BODY);

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

/**
 * One server's WebSocket tunnel on the hub side: handshake state, the streaming frame decoder,
 * frame dispatch to streams, sending with a type guard (never anything a plain Phlix server does
 * not handle), read pausing for back-pressure, drain notifications and close bookkeeping.
 */
export class Tunnel implements StreamCarrier {
  readonly tunnelId = randomUUID();
  state: TunnelState = 'pending';
  serverId: string | null = null;
  sessionId: string | null = null;
  /** credit window the agent granted per request body; null = plain protocol */
  requestCredit: number | null = null;
  /** credit window we grant the agent per response body (credit mode) */
  responseCredit = 0;
  jwtExp: number | null = null;
  lastFrameAt: number;
  bytesIn = 0;
  bytesOut = 0;
  closeReason: string | null = null;
  congestedSince: number | null = null;
  private helloSeen = false;
  private readonly decoder = new FrameDecoder();
  /** binary payload read ahead of `ws` (ws-inbound.ts); null when `ws` is not the expected shape */
  private readonly pieces: PieceDecoder | null;
  private readonly pieceSink: PieceSink = {
    frame: (type, id, payload) => {
      if (this.state !== 'closed') this.dispatch({ type, id, payload });
    },
    body: (id, pieces, length) => {
      if (this.state !== 'closed') this.dispatchBody(id, pieces, length);
    },
  };
  private readonly streams = new Map<number, TunnelStream>();
  /** raw client channels open on this tunnel (CLIENT_CONNECT sent, no CLIENT_DISCONNECT yet) */
  private readonly channelIds = new Set<number>();
  private nextRequestId = FIRST_REQUEST_ID;
  private holds = 0;
  private drainWaiters = new Set<() => void>();
  private timers = new Set<NodeJS.Timeout>();
  /** frames sent in one turn of the event loop leave in one write */
  private readonly batch: WriteBatch | null;

  constructor(
    private readonly ws: WebSocket,
    readonly remoteIp: string,
    private readonly host: TunnelHost,
  ) {
    this.lastFrameAt = host.now();
    this.pieces = readAhead(
      ws,
      {
        data: (bytes) => this.safely(() => this.onData(bytes)),
        violation: (code) => this.safely(() => this.close('protocol_error', code)),
      },
      MAX_WS_MESSAGE,
    )
      ? new PieceDecoder()
      : null;
    ws.on('message', (data, isBinary) => this.safely(() => this.onMessage(toBuffer(data), isBinary)));
    ws.on('close', () => this.safely(() => this.close(this.closeReason ?? 'server_closed', 1000)));
    ws.on('error', () => undefined);
    const sock = (ws as unknown as { _socket?: NodeJS.EventEmitter & Partial<Corkable> })._socket;
    sock?.on('drain', () => this.runDrainWaiters());
    this.batch = WriteBatch.of(sock);
  }

  get creditMode(): boolean {
    return this.requestCredit !== null;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** HTTP streams and raw client channels riding this tunnel (who would wait when its reads are held). */
  get riders(): number {
    return this.streams.size + this.channelIds.size;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** true while hub → server bytes are piling up; producers should wait with whenDrained() */
  get congested(): boolean {
    return this.ws.bufferedAmount > TUNNEL_HIGH_WATER;
  }

  /** Run `cb` once the socket drains (or right away when it is not congested). */
  whenDrained(cb: () => void): void {
    if (!this.congested) return void setImmediate(cb);
    this.drainWaiters.add(cb);
  }

  /** A real timer that dies with the tunnel. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t); // fired timers are not kept (streams pace with many of them)
      this.safely(fn);
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  // ---- handshake ------------------------------------------------------------------

  sendText(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.countOut(Buffer.byteLength(text));
    this.batch?.add();
    this.ws.send(text, { binary: false });
  }

  activate(serverId: string, sessionId: string, requestCredit: number | null, responseCredit: number): void {
    this.serverId = serverId;
    this.sessionId = sessionId;
    this.requestCredit = requestCredit;
    this.responseCredit = responseCredit;
    this.state = 'active';
  }

  /** Displaced by a newer verified tunnel: keep serving current streams for `graceMs`, open none. */
  retire(graceMs: number): void {
    if (this.state !== 'active') return;
    this.state = 'draining';
    if (this.streams.size === 0 || graceMs <= 0) return this.close('server_replaced', 1000);
    this.later(graceMs, () => this.close('server_replaced', 1000));
  }

  // ---- inbound --------------------------------------------------------------------

  private onMessage(buf: Buffer, isBinary: boolean): void {
    if (this.state === 'closed') return;
    this.bytesIn += buf.length;
    recordRelayBytes('in', buf.length);
    if (!isBinary) {
      if (this.state === 'pending' && !this.helloSeen) {
        this.helloSeen = true;
        return this.host.onHello(this, buf);
      }
      return this.close('protocol_error', 1002); // a second HELLO, or text in binary mode
    }
    if (this.state === 'pending') return this.close('protocol_error', 1002); // frames before HELLO_ACK
    let frames: Frame[];
    try {
      frames = this.decoder.push(buf);
    } catch (e) {
      const code = e instanceof FrameError ? e.code : '';
      return this.close(code === 'frame.buffer_overflow' ? 'frame_buffer_overflow' : 'invalid_frame', 1002);
    }
    this.lastFrameAt = this.host.now();
    for (const f of frames) {
      if ((this.state as TunnelState) === 'closed') return;
      this.dispatch(f);
    }
  }

  /** Binary payload bytes read ahead of `ws`: frames are decoded as the bytes come. */
  private onData(buf: Buffer): void {
    if (this.state === 'closed') return;
    this.bytesIn += buf.length;
    recordRelayBytes('in', buf.length);
    if (this.state === 'pending') return this.close('protocol_error', 1002); // frames before HELLO_ACK
    this.lastFrameAt = this.host.now();
    try {
      this.pieces!.push(buf, this.pieceSink);
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      this.close('invalid_frame', 1002);
    }
  }

  /** An HTTP_RESPONSE BODY chunk in the pieces it arrived in. */
  private dispatchBody(id: number, pieces: Buffer[], length: number): void {
    const s = this.streams.get(id);
    if (!s) return;
    if (s.onResponseBody) return this.streamCall(id, s, () => s.onResponseBody!(pieces, length));
    const payload = Buffer.concat([BODY_TAG, ...pieces], 1 + length);
    this.streamCall(id, s, () => s.onResponsePayload(payload));
  }

  private dispatch(f: Frame): void {
    switch (f.type) {
      case FrameType.HEARTBEAT:
        return; // liveness only; never echoed (the server answers every heartbeat it gets)
      case FrameType.HTTP_RESPONSE: {
        const s = this.streams.get(f.id);
        if (!s) return; // unknown / finished request: dropped
        if (this.creditMode && f.payload[0] === CREDIT_TAG) {
          const n = decodeCreditPayload(f.payload);
          if (n === null) return this.close('protocol_error', 1002);
          return this.streamCall(f.id, s, () => s.onCredit(n));
        }
        return this.streamCall(f.id, s, () => s.onResponsePayload(f.payload));
      }
      case FrameType.HTTP_CANCEL: {
        const s = this.streams.get(f.id);
        if (s) this.streamCall(f.id, s, () => s.onServerCancel());
        return; // after END (every Phlix response) the id is gone: a no-op
      }
      case FrameType.DATA:
        return this.host.onChannelData?.(this, f.id, f.payload);
      case FrameType.CLIENT_DISCONNECT:
        this.channelIds.delete(f.id);
        return this.host.onChannelClose?.(this, f.id, f.payload); // the server closed a client channel
      default:
        return this.close('protocol_error', 1002);
    }
  }

  /** A failing stream handler ends that stream, never the tunnel or the process. */
  private streamCall(id: number, s: TunnelStream, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.error(`stream ${id} handler failed: ${(e as Error).message}`);
      this.streams.delete(id);
      try {
        s.terminate('internal_error');
      } catch {
        /* already logged */
      }
    }
  }

  // ---- outbound -------------------------------------------------------------------

  /** Send one frame. Only types a plain Phlix server handles ever leave the hub. */
  send(type: FrameType, id: number, payload?: Uint8Array): boolean {
    if (!SERVER_ACCEPTS.has(type)) throw new Error(`refusing to send frame type 0x${type.toString(16)} to a server`);
    if (type === FrameType.CLIENT_CONNECT) this.channelIds.add(id);
    else if (type === FrameType.CLIENT_DISCONNECT) this.channelIds.delete(id);
    return this.sendRaw(encodeFrame(type, id, payload));
  }

  /** Grant response-body credit to our agent (credit mode only). */
  sendCredit(id: number, bytes: number): void {
    if (!this.creditMode || bytes <= 0) return;
    this.sendRaw(encodeResponseCreditFrame(id, bytes));
  }

  sendHeartbeat(): void {
    this.send(FrameType.HEARTBEAT, 0);
  }

  /** Bytes sent: this tunnel's counter (relay_sessions) and the hub-wide Prometheus one. */
  private countOut(n: number): void {
    this.bytesOut += n;
    recordRelayBytes('out', n);
  }

  private sendRaw(frame: Buffer): boolean {
    if (this.state === 'closed' || this.state === 'pending' || this.ws.readyState !== WebSocket.OPEN) return false;
    this.countOut(frame.length);
    this.batch?.add();
    this.ws.send(frame, { binary: true });
    if (this.ws.bufferedAmount > TUNNEL_HARD_CAP) {
      this.close('backpressure_overflow', 1011);
      return false;
    }
    if (this.ws.bufferedAmount > TUNNEL_HIGH_WATER) this.congestedSince ??= this.host.now();
    return true;
  }

  private runDrainWaiters(): void {
    if (this.ws.bufferedAmount <= TUNNEL_HIGH_WATER) this.congestedSince = null;
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const w of waiters) this.safely(w);
  }

  // ---- streams & read pausing -----------------------------------------------------

  openStream(s: TunnelStream): number {
    if (this.state !== 'active') throw new Error('tunnel is not accepting streams');
    let id = this.nextRequestId;
    while (this.streams.has(id)) id = id >= 0xffffffff ? FIRST_REQUEST_ID : id + 1;
    this.nextRequestId = id >= 0xffffffff ? FIRST_REQUEST_ID : id + 1;
    this.streams.set(id, s);
    return id;
  }

  endStream(id: number): void {
    this.streams.delete(id);
    if (this.state === 'draining' && this.streams.size === 0) this.close('server_replaced', 1000);
  }

  forEachStream(fn: (s: TunnelStream, id: number) => void): void {
    for (const [id, s] of [...this.streams]) fn(s, id);
  }

  /** Stop reading the tunnel socket until every hold is released (plain-protocol back-pressure). */
  holdReads(): void {
    if (this.holds++ === 0 && this.state !== 'closed') this.ws.pause();
  }

  releaseReads(): void {
    if (this.holds === 0) return;
    if (--this.holds === 0 && this.state !== 'closed') this.ws.resume();
  }

  get readsHeld(): boolean {
    return this.holds > 0;
  }

  // ---- closing --------------------------------------------------------------------

  close(reason: string, code = 1000): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeReason = reason;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    try {
      if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
        this.ws.resume();
        this.ws.close(code, reason.slice(0, 120));
        const kill = setTimeout(() => this.ws.terminate(), 2000);
        kill.unref?.();
        this.ws.once('close', () => clearTimeout(kill));
      }
    } catch {
      this.ws.terminate();
    }
    const streams = [...this.streams.values()];
    this.streams.clear();
    this.channelIds.clear();
    this.drainWaiters.clear();
    for (const s of streams) this.safely(() => s.onTunnelClosed(reason));
    try {
      this.host.onClosed(this, reason);
    } catch (e) {
      log.error(`tunnel ${this.tunnelId} close bookkeeping failed: ${(e as Error).message}`);
    }
  }

  /** Exceptions never escape a socket callback (they would take the process down). */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.error(`tunnel ${this.tunnelId}: ${(e as Error).stack ?? (e as Error).message}`);
      if (this.state !== 'closed') this.close('internal_error', 1011);
    }
  }
}
