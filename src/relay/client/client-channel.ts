import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { FrameType, MAX_PAYLOAD } from '../codec/index.js';
import type { ChannelEnd, StreamCarrier } from '../tunnel/types.js';
import type { StreamLease } from '../limits/relay-limits.js';
import type { GranteeChannelFilter } from './grantee-channel-filter.js';

/** Hub → client bytes queued on the client socket above which the tunnel's reads are held. */
export const CHANNEL_HIGH_WATER = 1024 * 1024;

export interface ChannelOwner {
  /** the channel ended (any way): forget it */
  forget(ch: ChannelEnd): void;
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

/**
 * One raw client channel: a client WebSocket ↔ DATA frames with one channel id on a server's
 * tunnel, opened with CLIENT_CONNECT and closed with CLIENT_DISCONNECT (docs/protocol/wire.md §2.2–2.3).
 * Every client message (binary or text) is forwarded as bytes; server bytes go to the client as
 * binary messages. Back-pressure, never loss:
 *  - up: the client socket is paused while the tunnel socket is congested (and while paced);
 *  - down: once CHANNEL_HIGH_WATER bytes wait for a slow client (or while paced), the tunnel's
 *    reads are held until the client drains (plain protocol: this stalls the whole tunnel, as it
 *    does for a plain Phlix server; memory stays bounded).
 */
export class ClientChannel implements ChannelEnd {
  readonly sessionId = randomUUID();
  id = 0;
  private done = false;
  private slowHold = false;
  private paceHold = false;
  private upHolds = 0;
  private timers = new Set<NodeJS.Timeout>();
  /** a pong (or any message) since the last keep-alive ping */
  alive = true;

  constructor(
    readonly ws: WebSocket,
    readonly tunnel: StreamCarrier,
    readonly userId: string,
    readonly serverId: string,
    readonly tokenId: string,
    private readonly lease: StreamLease,
    private readonly owner: ChannelOwner,
    /** grantees: only read requests pass (grantee-channel-filter.ts) */
    private readonly filter?: GranteeChannelFilter,
  ) {}

  get ended(): boolean {
    return this.done;
  }

  /** reads from the client are paused (back-pressure / pacing): pongs cannot arrive meanwhile */
  get paused(): boolean {
    return this.upHolds > 0;
  }

  /** Announce the channel to the server and start moving bytes. */
  open(id: number): void {
    this.id = id;
    this.tunnel.send(
      FrameType.CLIENT_CONNECT,
      id,
      Buffer.from(JSON.stringify({ client_id: this.userId, session_id: this.sessionId })),
    );
    this.ws.on('message', (data) => this.onClientMessage(toBuffer(data)));
    this.ws.on('pong', () => (this.alive = true));
    this.ws.on('close', () => this.end(true));
    this.ws.on('error', () => undefined);
    (this.ws as unknown as { _socket?: NodeJS.EventEmitter })._socket?.on('drain', () => this.onClientDrain());
    this.ws.resume();
  }

  // ---- client → server -----------------------------------------------------------------

  private onClientMessage(raw: Buffer): void {
    if (this.done) return;
    this.alive = true;
    const data = this.filter ? this.filter.push(raw) : raw;
    if (data === null) return this.kill(4403, 'relay.access_denied');
    if (!data.length) return;
    for (let off = 0; off < data.length; off += MAX_PAYLOAD) {
      this.tunnel.send(FrameType.DATA, this.id, data.subarray(off, off + MAX_PAYLOAD));
    }
    const wait = this.lease.meter('up', data.length);
    if (this.tunnel.congested) {
      this.holdUp();
      this.tunnel.whenDrained(() => this.releaseUp());
    }
    if (wait > 0) {
      this.holdUp();
      this.after(wait, () => this.releaseUp());
    }
  }

  private holdUp(): void {
    if (this.upHolds++ === 0) this.ws.pause();
  }

  private releaseUp(): void {
    if (this.upHolds > 0 && --this.upHolds === 0 && !this.done) this.ws.resume();
  }

  // ---- server → client -----------------------------------------------------------------

  onServerData(payload: Buffer): void {
    if (this.done || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(payload, { binary: true });
    const wait = this.lease.meter('down', payload.length);
    if (!this.slowHold && this.ws.bufferedAmount > CHANNEL_HIGH_WATER) {
      this.slowHold = true;
      this.tunnel.holdReads();
    }
    if (wait > 0 && !this.paceHold) {
      this.paceHold = true;
      this.tunnel.holdReads();
      this.after(wait, () => {
        this.paceHold = false;
        this.tunnel.releaseReads();
      });
    }
  }

  private onClientDrain(): void {
    if (this.slowHold && this.ws.bufferedAmount <= CHANNEL_HIGH_WATER / 2) {
      this.slowHold = false;
      this.tunnel.releaseReads();
    }
  }

  // ---- endings -------------------------------------------------------------------------

  /** The server closed the channel (CLIENT_DISCONNECT from the server side). */
  onServerClose(): void {
    if (this.done) return;
    this.end(false);
    this.closeWs(1000, 'server_closed');
  }

  onTunnelClosed(): void {
    if (this.done) return;
    this.end(false);
    this.closeWs(1011, 'server_disconnected');
  }

  /** End from the hub side (revoked, quota, shutdown): tell the server, close the client. */
  kill(code: number, reason: string): void {
    if (this.done) return;
    this.end(true);
    this.closeWs(code, reason);
  }

  private end(notifyServer: boolean): void {
    if (this.done) return;
    this.done = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.slowHold) this.tunnel.releaseReads();
    if (this.paceHold) this.tunnel.releaseReads();
    this.slowHold = this.paceHold = false;
    if (notifyServer && this.tunnel.state !== 'closed') {
      try {
        this.tunnel.send(FrameType.CLIENT_DISCONNECT, this.id, Buffer.from(JSON.stringify({ client_id: this.userId })));
      } catch {
        /* tunnel going away */
      }
    }
    this.lease.release();
    this.owner.forget(this);
  }

  private closeWs(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
      const kill = setTimeout(() => this.ws.terminate(), 2000);
      kill.unref?.();
    }
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.done) fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }
}
