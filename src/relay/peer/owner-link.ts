import type WebSocket from 'ws';
import type { TunnelRegistry } from '../tunnel/registry.js';
import { LinkSocket } from './link-socket.js';
import { LinkType, jsonPayload, parseJsonPayload, readCredit, type LinkFrame } from './link-frame.js';
import { ForwardedStream } from './forwarded-stream.js';

export interface OwnerLinkOptions {
  registry: TunnelRegistry;
  /** HUB_RELAY_PLAIN_STALL_MS */
  stallMs: number;
  /** streams one link may have open at once */
  maxStreams: number;
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
  private readonly streams = new Map<number, ForwardedStream>();

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
    if (!tunnel || j.kind !== 'http' || this.streams.size >= this.o.maxStreams) {
      return void this.sock.send(LinkType.NOT_HERE, f.id);
    }
    const fs = new ForwardedStream(this.sock, f.id, tunnel, j.userId, j.serverId, this.o.stallMs, (x) =>
      this.streams.delete(x.linkId),
    );
    fs.requestId = tunnel.openStream(fs);
    this.streams.set(f.id, fs);
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
