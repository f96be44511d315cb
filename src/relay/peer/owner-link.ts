import type WebSocket from 'ws';
import type { TunnelRegistry } from '../tunnel/registry.js';
import { LinkSocket } from './link-socket.js';
import { LinkType, jsonPayload, parseJsonPayload, readCredit, type LinkFrame } from './link-frame.js';
import { ForwardedStream } from './forwarded-stream.js';
import { ForwardedChannel } from './forwarded-channel.js';
import type { ChannelDesk } from '../tunnel/types.js';

export interface OwnerLinkOptions {
  registry: TunnelRegistry;
  /** HUB_RELAY_PLAIN_STALL_MS */
  stallMs: number;
  /** streams one link may have open at once */
  maxStreams: number;
  /** the channel table of this replica (raw client channels), once it is up */
  channels: () => ChannelDesk | undefined;
  onClosed: (l: OwnerLink) => void;
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;

/**
 * The owner end of one peer replica's link: OPEN is answered with OPEN_ACK (a ForwardedStream on
 * the local tunnel) or NOT_HERE (no active tunnel of that server here); every other frame goes to
 * its stream. A dropped link cancels all its streams at the server.
 */
export class OwnerLink {
  private readonly sock: LinkSocket;
  private readonly streams = new Map<number, ForwardedStream | ForwardedChannel>();

  constructor(
    ws: WebSocket,
    readonly peerNodeId: string,
    private readonly o: OwnerLinkOptions,
  ) {
    this.sock = new LinkSocket(
      ws,
      (f) => this.onFrame(f),
      () => this.onClose(),
    );
  }

  get streamCount(): number {
    return this.streams.size;
  }

  close(reason: string): void {
    this.sock.close(reason, 1001);
  }

  private onFrame(f: LinkFrame): void {
    if (f.type === LinkType.OPEN) return this.open(f);
    const fs = this.streams.get(f.id);
    if (!fs) return; // finished or never opened: dropped
    const credit = f.type === LinkType.CREDIT ? readCredit(f.payload) : null;
    fs.fromIngress(f.type, f.payload, credit);
  }

  private open(f: LinkFrame): void {
    if (this.streams.has(f.id)) return this.sock.close('protocol_error', 1002);
    const j = parseJsonPayload(f.payload);
    if (!j || !isId(j.serverId) || !isId(j.userId) || (j.kind !== 'http' && j.kind !== 'channel')) {
      return this.sock.close('protocol_error', 1002);
    }
    const tunnel = this.o.registry.get(j.serverId);
    const desk = this.o.channels();
    if (!tunnel || (j.kind === 'channel' && !desk) || this.streams.size >= this.o.maxStreams) {
      return void this.sock.send(LinkType.NOT_HERE, f.id);
    }
    const forget = (x: { linkId: number }) => this.streams.delete(x.linkId);
    if (j.kind === 'channel') {
      const fc = new ForwardedChannel(this.sock, f.id, tunnel, j.userId, j.serverId, desk!, forget);
      this.streams.set(f.id, fc);
      desk!.attach(fc); // the real channel id, on this tunnel
    } else {
      const fs = new ForwardedStream(this.sock, f.id, tunnel, j.userId, j.serverId, this.o.stallMs, forget);
      fs.requestId = tunnel.openStream(fs);
      this.streams.set(f.id, fs);
    }
    this.sock.send(
      LinkType.OPEN_ACK,
      f.id,
      jsonPayload({
        creditMode: tunnel.creditMode,
        requestCredit: tunnel.requestCredit,
        responseCredit: tunnel.responseCredit,
      }),
    );
  }

  private onClose(): void {
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const fs of streams) fs.linkDropped();
    this.o.onClosed(this);
  }
}
