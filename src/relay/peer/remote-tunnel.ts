import { Logger } from '@nestjs/common';
import { FrameType } from '../codec/frame.js';
import type { ChannelDesk, StreamCarrier, TunnelStream } from '../tunnel/types.js';
import { LinkType, creditPayload, parseJsonPayload, readCredit, type LinkFrame } from './link-frame.js';

const log = new Logger('ClusterForward');

/** What the owning replica told us when it opened the stream on its tunnel. */
export interface OpenAck {
  creditMode: boolean;
  requestCredit: number | null;
  responseCredit: number;
}

/** The ingress end of one link stream: how a RemoteTunnel talks to its link. */
export interface LinkPort {
  readonly congested: boolean;
  readonly isOpen: boolean;
  send(type: LinkType, id: number, payload?: Uint8Array): boolean;
  whenDrained(cb: () => void): void;
  /** the stream is over on this side: forget its id */
  forget(id: number): void;
}

/** Relay frame types a stream may send, as link types (the rest never leave a stream). */
const OUTGOING: ReadonlyMap<number, LinkType> = new Map([
  [FrameType.HTTP_REQUEST, LinkType.HTTP_REQUEST],
  [FrameType.HTTP_CANCEL, LinkType.HTTP_CANCEL],
  [FrameType.CLIENT_CONNECT, LinkType.CLIENT_CONNECT],
  [FrameType.DATA, LinkType.DATA],
  [FrameType.CLIENT_DISCONNECT, LinkType.CLIENT_DISCONNECT],
]);

/**
 * One stream relayed through the replica that holds the server's tunnel, seen by the stream as its
 * tunnel (StreamCarrier): RelayHttpStream runs unchanged on it. Ids are the link stream id; read
 * holds become HOLD/RELEASE for the owner (which holds its tunnel's reads and, plain protocol, cuts
 * a stream that stalls others); the owner's HOLD pauses the request body here.
 */
export class RemoteTunnel implements StreamCarrier {
  state: 'active' | 'closed' = 'active';
  readonly creditMode: boolean;
  readonly requestCredit: number | null;
  readonly responseCredit: number;
  private stream: TunnelStream | null = null;
  private ended = false;
  private holds = 0;
  /** the owner asked us to stop sending request body bytes */
  private upHeld = false;
  private readonly waiters = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** a raw client channel rides this link stream: where the server's channel frames go */
  channels?: Pick<ChannelDesk, 'onChannelData' | 'onChannelClose' | 'onTunnelClosed'>;
  /** the channel's id in this replica's channel table (CLIENT_CONNECT sent) */
  private channelId: number | null = null;

  constructor(
    private readonly link: LinkPort,
    readonly linkId: number,
    readonly serverId: string,
    ack: OpenAck,
    private readonly onEnd: (rt: RemoteTunnel) => void,
  ) {
    this.creditMode = ack.creditMode;
    this.requestCredit = ack.requestCredit;
    this.responseCredit = ack.responseCredit;
  }

  /** The owner enforces the stall rule with its tunnel's real riders; here the stream is alone. */
  get riders(): number {
    return 1;
  }

  get streamCount(): number {
    return this.stream && !this.ended ? 1 : 0;
  }

  get congested(): boolean {
    return this.upHeld || this.link.congested;
  }

  openStream(s: TunnelStream): number {
    if (this.state !== 'active' || this.stream) throw new Error('remote stream is not open');
    this.stream = s;
    return this.linkId;
  }

  endStream(_id?: number): void {
    if (this.ended) return;
    this.ended = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waiters.clear();
    this.link.forget(this.linkId);
    this.onEnd(this);
  }

  /** Opened but never used (the request was refused after the owner said yes): let the owner forget it. */
  abandon(): void {
    if (this.ended) return;
    this.link.send(LinkType.HTTP_CANCEL, this.linkId);
    this.endStream();
  }

  send(type: number, id: number, payload?: Uint8Array): boolean {
    const lt = OUTGOING.get(type);
    if (lt === undefined) throw new Error(`refusing to forward frame type 0x${type.toString(16)}`);
    if (this.state === 'closed') return false;
    if (type === FrameType.CLIENT_CONNECT) this.channelId = id;
    const ok = this.link.send(lt, this.linkId, payload);
    if (type === FrameType.CLIENT_DISCONNECT) this.channelDone();
    return ok;
  }

  sendCredit(_id: number, bytes: number): void {
    if (!this.creditMode || bytes <= 0 || this.ended) return;
    this.link.send(LinkType.CREDIT, this.linkId, creditPayload(bytes));
  }

  holdReads(): void {
    if (this.holds++ === 0 && !this.ended) this.link.send(LinkType.HOLD, this.linkId);
  }

  releaseReads(): void {
    if (this.holds === 0) return;
    if (--this.holds === 0 && !this.ended) this.link.send(LinkType.RELEASE, this.linkId);
  }

  whenDrained(cb: () => void): void {
    if (!this.congested) return void setImmediate(cb);
    this.waiters.add(cb);
    if (this.link.congested) this.link.whenDrained(() => this.runWaiters());
  }

  later(ms: number, fn: () => void): void {
    if (this.ended) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.call(fn);
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  forEachStream(fn: (s: TunnelStream, id: number) => void): void {
    if (this.stream && !this.ended) fn(this.stream, this.linkId);
  }

  // ---- from the owner ------------------------------------------------------------------

  onFrame(f: LinkFrame): void {
    const s = this.stream;
    if (this.channelId !== null) return this.onChannelFrame(f, this.channelId);
    switch (f.type) {
      case LinkType.HTTP_RESPONSE:
        return s ? this.call(() => s.onResponsePayload(f.payload)) : undefined;
      case LinkType.CREDIT: {
        const n = readCredit(f.payload);
        return s && n !== null ? this.call(() => s.onCredit(n)) : undefined;
      }
      case LinkType.HTTP_CANCEL:
        return s ? this.call(() => s.onServerCancel()) : this.endStream();
      case LinkType.HOLD:
        this.upHeld = true;
        return;
      case LinkType.RELEASE:
        this.upHeld = false;
        return this.runWaiters();
      case LinkType.TUNNEL_CLOSED:
        return this.linkGone(reasonOf(f.payload, 'server_closed'));
      case LinkType.TERMINATE: {
        const reason = reasonOf(f.payload, 'terminated');
        return s ? this.call(() => s.terminate(reason)) : this.endStream();
      }
      default:
        return; // nothing else belongs to a stream
    }
  }

  private onChannelFrame(f: LinkFrame, id: number): void {
    const c = this.channels;
    switch (f.type) {
      case LinkType.DATA:
        return c ? this.call(() => c.onChannelData(this, id, f.payload)) : undefined;
      case LinkType.HOLD:
      case LinkType.RELEASE:
        this.upHeld = f.type === LinkType.HOLD;
        return this.runWaiters();
      case LinkType.CLIENT_DISCONNECT:
      case LinkType.TERMINATE:
        this.channelDone();
        return c ? this.call(() => c.onChannelClose(this, id, f.payload)) : undefined;
      case LinkType.TUNNEL_CLOSED:
        return this.linkGone('server_closed');
      default:
        return;
    }
  }

  /** The channel is over (either side): nothing more goes out on this link stream. */
  private channelDone(): void {
    this.state = 'closed';
    this.endStream();
  }

  /** The link (or the owner's tunnel) is gone: the stream fails as on a closed tunnel. */
  linkGone(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const s = this.stream;
    if (s && !this.ended) this.call(() => s.onTunnelClosed(reason));
    const c = this.channels;
    if (c && this.channelId !== null) this.call(() => c.onTunnelClosed(this));
    this.endStream();
  }

  private runWaiters(): void {
    if (this.congested || this.ended) return;
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) this.call(w);
  }

  /** A failing stream handler ends that stream, never the link. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.error(`forwarded stream ${this.linkId} handler failed: ${(e as Error).message}`);
      try {
        this.stream?.terminate('internal_error');
      } catch {
        /* already logged */
      }
      this.abandon();
    }
  }
}

function reasonOf(payload: Buffer, fallback: string): string {
  const r = parseJsonPayload(payload)?.reason;
  return typeof r === 'string' && r.length <= 64 ? r : fallback;
}
