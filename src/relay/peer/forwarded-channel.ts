import { FrameType } from '../codec/frame.js';
import type { Tunnel } from '../tunnel/tunnel.js';
import type { ChannelDesk, ChannelEnd } from '../tunnel/types.js';
import type { LinkSocket } from './link-socket.js';
import { LinkType, jsonPayload } from './link-frame.js';
import { ForwardHolds } from './forward-holds.js';

/**
 * The owner end of a raw client channel another replica forwards: it holds a real channel id on
 * the local tunnel (given by the channel table) and relays CLIENT_CONNECT / DATA /
 * CLIENT_DISCONNECT between the tunnel and the link. Back-pressure as for a local channel: the
 * ingress's HOLD (slow client) holds the tunnel's reads, a congested link holds them until it
 * drains, a congested tunnel sends HOLD for the client's bytes.
 */
export class ForwardedChannel implements ChannelEnd {
  id = 0;
  readonly tokenId = '';
  private done = false;
  private readonly holds: ForwardHolds;
  /** CLIENT_CONNECT went to the server */
  private connected = false;

  constructor(
    private readonly link: LinkSocket,
    readonly linkId: number,
    readonly tunnel: Tunnel,
    readonly userId: string,
    readonly serverId: string,
    private readonly desk: ChannelDesk,
    private readonly onEnd: (fc: ForwardedChannel) => void,
  ) {
    this.holds = new ForwardHolds(tunnel, link, linkId);
  }

  get ended(): boolean {
    return this.done;
  }

  open(id: number): void {
    this.id = id;
  }

  // ---- from the server -----------------------------------------------------------------

  onServerData(payload: Buffer): void {
    if (this.done) return;
    this.link.send(LinkType.DATA, this.linkId, payload);
    this.holds.afterDown();
  }

  onServerClose(): void {
    if (this.done) return;
    this.link.send(LinkType.CLIENT_DISCONNECT, this.linkId);
    this.end();
  }

  onTunnelClosed(): void {
    if (this.done) return;
    this.link.send(LinkType.TUNNEL_CLOSED, this.linkId, jsonPayload({ reason: 'server_disconnected' }));
    this.end();
  }

  kill(_code: number, reason: string): void {
    if (this.done) return;
    this.disconnectAtServer();
    this.link.send(LinkType.TERMINATE, this.linkId, jsonPayload({ reason }));
    this.end();
  }

  // ---- from the ingress ----------------------------------------------------------------

  fromIngress(type: LinkType, payload: Buffer): void {
    if (this.done) return;
    switch (type) {
      case LinkType.CLIENT_CONNECT:
      case LinkType.DATA:
        if (type === LinkType.CLIENT_CONNECT) this.connected = true;
        else if (!this.connected) return;
        this.tunnel.send(type === LinkType.DATA ? FrameType.DATA : FrameType.CLIENT_CONNECT, this.id, payload);
        return this.holds.afterUp();
      case LinkType.CLIENT_DISCONNECT:
        if (this.connected && this.tunnel.state !== 'closed') {
          this.tunnel.send(FrameType.CLIENT_DISCONNECT, this.id, payload);
        }
        return this.end();
      case LinkType.HTTP_CANCEL: // opened, then refused at the ingress (or the OPEN timed out there)
        return this.linkDropped();
      case LinkType.HOLD:
        return void this.holds.holdForIngress();
      case LinkType.RELEASE:
        return this.holds.releaseIngress();
      default:
        return;
    }
  }

  linkDropped(): void {
    if (this.done) return;
    this.disconnectAtServer();
    this.end();
  }

  private disconnectAtServer(): void {
    if (!this.connected || this.tunnel.state === 'closed') return;
    this.tunnel.send(FrameType.CLIENT_DISCONNECT, this.id, jsonPayload({ client_id: this.userId }));
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.holds.dropAll();
    this.desk.forget(this);
    this.onEnd(this);
  }
}
