import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { HubConfig } from '../../config/config.js';
import { RelayGateway } from '../tunnel/gateway.js';
import { TunnelRegistry } from '../tunnel/registry.js';
import { LINK_PATH, NonceLog, verifyLink } from './link-auth.js';
import { MAX_LINK_MESSAGE } from './link-socket.js';
import { OwnerLink } from './owner-link.js';
import type { ChannelDesk } from '../tunnel/types.js';

/** Streams one peer link may have open at once (each is also a relay stream of its ingress). */
const MAX_LINK_STREAMS = 10_000;

/**
 * `/internal/cluster/v1/link` on the main port: the WebSocket other replicas open to reach the
 * tunnels held here (one-hop forwarding, docs/protocol/cluster-link.md). The upgrade must carry an
 * HMAC-SHA256 of HUB_CLUSTER_SECRET over (node id, timestamp, nonce), within ±60 s, each nonce
 * once; anything else, or no cluster mode, is answered 401 with no detail.
 */
@Injectable()
export class ClusterLinkGateway implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ClusterLink');
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_LINK_MESSAGE,
    clientTracking: false,
  });
  private readonly nonces = new NonceLog();
  private readonly links = new Set<OwnerLink>();
  private channels?: ChannelDesk;

  constructor(
    private readonly cfg: HubConfig,
    private readonly gateway: RelayGateway,
    private readonly registry: TunnelRegistry,
  ) {}

  onModuleInit(): void {
    this.gateway.addRoute({
      match: (p) => p === LINK_PATH,
      handle: (req, socket, head) => this.accept(req, socket, head),
    });
  }

  /** Raw client channels can be forwarded here once the channel table is up (src/relay/client). */
  setChannelDesk(desk: ChannelDesk): void {
    this.channels = desk;
  }

  onModuleDestroy(): void {
    for (const l of [...this.links]) l.close('server_shutdown');
    this.links.clear();
  }

  private accept(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const secret = this.cfg.cluster.secret ?? '';
    const peer = secret ? verifyLink(secret, req.headers, Math.floor(Date.now() / 1000), this.nonces) : null;
    if (!peer) {
      if (!socket.writable) return void socket.destroy();
      return void socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const link = new OwnerLink(ws, peer, {
        registry: this.registry,
        stallMs: this.cfg.relay.plainStallMs,
        maxStreams: MAX_LINK_STREAMS,
        channels: () => this.channels,
        onClosed: (l) => this.links.delete(l),
      });
      this.links.add(link);
      this.log.debug?.(`link from replica ${peer}`);
    });
  }
}
