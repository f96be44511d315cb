import type { Tunnel } from '../tunnel/tunnel.js';
import type { LinkSocket } from './link-socket.js';
import { LinkType } from './link-frame.js';

/**
 * The back-pressure one forwarded stream or channel applies on the owner: read holds on the local
 * tunnel for its ingress (HOLD from a slow client) and for the link (too many bytes queued in the
 * link socket), and the HOLD it sends the ingress while the tunnel socket is congested. Every
 * hold is released once, at the latest when the stream ends (dropAll).
 */
export class ForwardHolds {
  private ingress = false;
  private link = false;
  private up = false;

  constructor(
    private readonly tunnel: Tunnel,
    private readonly sock: LinkSocket,
    private readonly linkId: number,
  ) {}

  /** The ingress asked to stop: false if it already had. */
  holdForIngress(): boolean {
    if (this.ingress) return false;
    this.ingress = true;
    this.tunnel.holdReads();
    return true;
  }

  releaseIngress(): void {
    if (!this.ingress) return;
    this.ingress = false;
    this.tunnel.releaseReads();
  }

  /** After sending server bytes on the link. */
  afterDown(): void {
    if (this.link || !this.sock.congested) return;
    this.link = true;
    this.tunnel.holdReads();
    this.sock.whenDrained(() => this.releaseLink());
  }

  /** After sending client bytes on the tunnel. */
  afterUp(): void {
    if (this.up || !this.tunnel.congested) return;
    this.up = true;
    this.sock.send(LinkType.HOLD, this.linkId);
    this.tunnel.whenDrained(() => {
      if (!this.up) return;
      this.up = false;
      this.sock.send(LinkType.RELEASE, this.linkId);
    });
  }

  dropAll(): void {
    this.releaseIngress();
    this.releaseLink();
    this.up = false;
  }

  private releaseLink(): void {
    if (!this.link) return;
    this.link = false;
    this.tunnel.releaseReads();
  }
}
