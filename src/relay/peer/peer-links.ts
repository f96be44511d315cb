import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HubConfig } from '../../config/config.js';
import { TunnelDirectory, type TunnelLocation } from '../../common/ports/tunnel-directory.port.js';
import { TunnelRegistry } from '../tunnel/registry.js';
import { ClientLink, type OpenRequest } from './client-link.js';
import type { RemoteTunnel } from './remote-tunnel.js';

/**
 * The ingress side of one-hop forwarding (cluster mode): a request or channel for a server whose
 * tunnel lives on another replica is opened there over that replica's internal link. The owner
 * named by the directory is asked first; if it says "not here" (or cannot be reached) the
 * directory is asked once more, skipping its cache, and a different owner gets one try. Null means
 * the server is not reachable anywhere: the caller answers as for an offline server.
 */
@Injectable()
export class PeerLinks implements OnModuleDestroy {
  private readonly log = new Logger('ClusterForward');
  private readonly links = new Map<string, ClientLink>();
  /** streams and channels opened on another replica since start */
  readonly forwarded = { http: 0, channel: 0 };

  constructor(
    private readonly cfg: HubConfig,
    private readonly registry: TunnelRegistry,
    private readonly directory: TunnelDirectory,
  ) {}

  get enabled(): boolean {
    return this.directory.enabled;
  }

  async open(req: OpenRequest): Promise<RemoteTunnel | null> {
    if (!this.directory.enabled || !this.cfg.cluster.secret) return null;
    const first = await this.directory.locate(req.serverId);
    const rt = first ? await this.tryOwner(first, req) : null;
    if (rt) return rt;
    const again = await this.directory.locate(req.serverId, true);
    if (!again || (first && again.nodeId === first.nodeId)) return null;
    return this.tryOwner(again, req);
  }

  private async tryOwner(loc: TunnelLocation, req: OpenRequest): Promise<RemoteTunnel | null> {
    if (loc.nodeId === this.directory.nodeId) return null; // ours, yet not in the local registry
    try {
      const r = await this.link(loc).open(req);
      if ('ok' in r) {
        this.forwarded[req.kind]++;
        return r.ok;
      }
      return null;
    } catch (e) {
      this.log.warn(`replica ${loc.nodeId} unreachable for server ${req.serverId}: ${(e as Error).message}`);
      return null;
    }
  }

  private link(loc: TunnelLocation): ClientLink {
    const key = `${loc.nodeId}|${loc.nodeUrl}`;
    let l = this.links.get(key);
    if (!l) {
      l = new ClientLink({
        nodeUrl: loc.nodeUrl,
        nodeId: this.directory.nodeId,
        secret: this.cfg.cluster.secret ?? '',
        nowSeconds: () => Math.floor(Date.now() / 1000),
        attach: (rt) => this.registry.attachCarrier(rt),
        detach: (rt) => this.registry.detachCarrier(rt),
      });
      this.links.set(key, l);
    }
    return l;
  }

  onModuleDestroy(): void {
    for (const l of this.links.values()) l.close('server_shutdown');
    this.links.clear();
  }
}
