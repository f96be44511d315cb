import { FrameType } from '../codec/frame.js';
import { ChunkTag } from '../codec/http.js';
import type { Tunnel } from '../tunnel/tunnel.js';
import type { TunnelStream } from '../tunnel/types.js';
import type { LinkSocket } from './link-socket.js';
import { LinkType, creditPayload, jsonPayload } from './link-frame.js';
import { ForwardHolds } from './forward-holds.js';

/** How often a stream holding the tunnel's reads for its ingress looks at the stall rule. */
const STALL_POLL_MS = 50;

/**
 * The owner end of one link stream: a TunnelStream on the local tunnel that relays everything
 * between the tunnel (its request id) and the link (the link stream id). Back-pressure, plain
 * protocol: the ingress's HOLD holds the tunnel's reads, for at most `stallMs` while other streams
 * ride the tunnel (then this stream alone is cancelled, as on one process); a congested link holds
 * them until it drains; a congested tunnel sends HOLD for the request body. Credit mode: credits
 * pass through both ways.
 */
export class ForwardedStream implements TunnelStream {
  readonly forwarded = true;
  requestId = 0;
  private ended = false;
  private heldSince: number | null = null;
  private polling = false;
  /** the request head went to the server (a cancel before it has nothing to stop) */
  private requested = false;
  private readonly holds: ForwardHolds;

  constructor(
    private readonly link: LinkSocket,
    readonly linkId: number,
    private readonly tunnel: Tunnel,
    readonly userId: string,
    readonly serverId: string,
    private readonly stallMs: number,
    private readonly onEnd: (fs: ForwardedStream) => void,
  ) {
    this.holds = new ForwardHolds(tunnel, link, linkId);
  }

  // ---- from the tunnel ---------------------------------------------------------------

  onResponsePayload(payload: Buffer): void {
    if (this.ended) return;
    this.link.send(LinkType.HTTP_RESPONSE, this.linkId, payload);
    if (payload[0] === ChunkTag.END) return this.end();
    this.holds.afterDown();
  }

  onCredit(bytes: number): void {
    if (!this.ended) this.link.send(LinkType.CREDIT, this.linkId, creditPayload(bytes));
  }

  onServerCancel(): void {
    if (this.ended) return;
    this.link.send(LinkType.HTTP_CANCEL, this.linkId);
    this.end();
  }

  onTunnelClosed(reason: string): void {
    if (this.ended) return;
    this.link.send(LinkType.TUNNEL_CLOSED, this.linkId, jsonPayload({ reason }));
    this.end();
  }

  /** Ended here (access revoked on this replica, stall, shutdown): the server and the ingress are told. */
  terminate(reason: string): void {
    if (this.ended) return;
    this.cancelAtServer();
    this.link.send(LinkType.TERMINATE, this.linkId, jsonPayload({ reason }));
    this.end();
  }

  tick(): void {
    // timeouts are kept by the ingress, which sees the client
  }

  // ---- from the ingress --------------------------------------------------------------

  fromIngress(type: LinkType, payload: Buffer, credit: number | null): void {
    if (this.ended) return;
    switch (type) {
      case LinkType.HTTP_REQUEST:
        this.requested = true;
        this.tunnel.send(FrameType.HTTP_REQUEST, this.requestId, payload);
        return this.holds.afterUp();
      case LinkType.HTTP_CANCEL:
        this.cancelAtServer();
        return this.end();
      case LinkType.CREDIT:
        if (credit !== null) this.tunnel.sendCredit(this.requestId, credit);
        return;
      case LinkType.HOLD:
        return this.hold();
      case LinkType.RELEASE:
        return this.release();
      default:
        return;
    }
  }

  /** The link dropped: the server stops this request. */
  linkDropped(): void {
    if (this.ended) return;
    this.cancelAtServer();
    this.end();
  }

  // ---- read holds ---------------------------------------------------------------------

  private hold(): void {
    if (!this.holds.holdForIngress()) return;
    this.heldSince = Date.now();
    this.poll();
  }

  private release(): void {
    this.heldSince = null;
    this.holds.releaseIngress();
  }

  private poll(): void {
    if (this.polling || this.tunnel.creditMode) return;
    this.polling = true;
    this.tunnel.later(STALL_POLL_MS, () => {
      this.polling = false;
      if (this.ended || this.heldSince === null) return;
      // alone on the tunnel nobody waits on it; the clock starts when another stream rides it
      if (this.tunnel.riders <= 1) this.heldSince = Date.now();
      else if (Date.now() - this.heldSince >= this.stallMs) return this.terminate('stalled');
      this.poll();
    });
  }

  private cancelAtServer(): void {
    if (this.requested && (this.tunnel.state === 'active' || this.tunnel.state === 'draining')) {
      this.tunnel.send(FrameType.HTTP_CANCEL, this.requestId);
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.tunnel.endStream(this.requestId);
    this.heldSince = null;
    this.holds.dropAll();
    this.onEnd(this);
  }
}
