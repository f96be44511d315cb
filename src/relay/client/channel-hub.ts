import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import WebSocket from 'ws';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HubEvents } from '../../common/hub-events.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { RelayLimits } from '../limits/relay-limits.js';
import { TunnelRegistry, type TunnelChannelHandler } from '../tunnel/registry.js';
import type { ChannelDesk, ChannelEnd, StreamCarrier } from '../tunnel/types.js';
import { ClientChannel } from './client-channel.js';
import { RelayTokensService } from './relay-tokens.service.js';
import { ClusterLinkGateway } from '../peer/cluster-link.gateway.js';

/** Channel ids are 1, 2, 3, … per tunnel (docs/protocol/wire.md §2.3); HTTP request ids start at 0x80000001. */
export const MAX_CHANNEL_ID = 0x7fffffff;
/** Keep-alive ping to channel clients; one missed pong and the client is dropped. */
export const CHANNEL_PING_MS = 30_000;

interface Table {
  next: number;
  channels: Map<number, ChannelEnd>;
}

/**
 * Live raw client channels of this process, per tunnel: channel id allocation, routing of the
 * server's DATA / CLIENT_DISCONNECT to the right client, and ending channels when their tunnel
 * goes, their token is revoked, their user is disabled or loses access, or the quota runs out.
 */
@Injectable()
export class ChannelHub implements TunnelChannelHandler, ChannelDesk, OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayChannels');
  private readonly tables = new Map<StreamCarrier, Table>();
  private job?: PeriodicJob;

  constructor(
    private readonly registry: TunnelRegistry,
    private readonly events: HubEvents,
    private readonly limits: RelayLimits,
    private readonly tokens: RelayTokensService,
    private readonly scheduler: SchedulerRegistry,
    private readonly links: ClusterLinkGateway,
  ) {}

  onModuleInit(): void {
    this.registry.setChannelHandler(this);
    this.links.setChannelDesk(this); // channels other replicas forward to tunnels held here
    const drop = (userId: string) => this.closeUser(userId, 4403, 'access_revoked');
    this.events.onAnywhere('user.disabled', (p) => drop(p.userId));
    this.events.onAnywhere('user.deleted', (p) => drop(p.userId));
    this.events.onAnywhere('share.changed', (p) => this.recheck(p.granteeId, p.serverId));
    this.events.onAnywhere('relay.streams_ended', (p) =>
      this.closeUser(
        p.userId,
        4403,
        p.reason === 'quota_exceeded' ? 'relay.quota_exceeded' : 'access_revoked',
        p.serverId,
      ),
    );
    this.limits.onExhausted((userId) => this.closeUser(userId, 4403, 'relay.quota_exceeded'));
    this.job = every(
      this.scheduler,
      'relay.channel-ping',
      CHANNEL_PING_MS,
      () => this.ping(),
      (e) => this.log.warn(`channel ping failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
    for (const ch of this.all()) ch.kill(1001, 'server_shutdown');
  }

  get count(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.channels.size;
    return n;
  }

  /** Give the channel an id on its tunnel and open it. */
  attach(ch: ChannelEnd): number {
    let table = this.tables.get(ch.tunnel);
    if (!table) this.tables.set(ch.tunnel, (table = { next: 1, channels: new Map() }));
    let id = table.next;
    while (table.channels.has(id)) id = id >= MAX_CHANNEL_ID ? 1 : id + 1;
    table.next = id >= MAX_CHANNEL_ID ? 1 : id + 1;
    table.channels.set(id, ch);
    ch.open(id);
    return id;
  }

  forget(ch: ChannelEnd): void {
    const table = this.tables.get(ch.tunnel);
    if (table?.channels.get(ch.id) === ch) table.channels.delete(ch.id);
    if (table && table.channels.size === 0 && ch.tunnel.state === 'closed') this.tables.delete(ch.tunnel);
  }

  // ---- from the tunnel -----------------------------------------------------------------

  onChannelData(t: StreamCarrier, channelId: number, payload: Buffer): void {
    this.tables.get(t)?.channels.get(channelId)?.onServerData(payload); // unknown / closed channel: dropped
  }

  onChannelClose(t: StreamCarrier, channelId: number): void {
    this.tables.get(t)?.channels.get(channelId)?.onServerClose();
  }

  onTunnelClosed(t: StreamCarrier): void {
    const table = this.tables.get(t);
    this.tables.delete(t);
    if (table) for (const ch of [...table.channels.values()]) ch.onTunnelClosed();
  }

  // ---- endings from the hub side ---------------------------------------------------------

  closeToken(tokenId: string, code: number, reason: string): void {
    for (const ch of this.all()) if (ch.tokenId === tokenId) ch.kill(code, reason);
  }

  closeUser(userId: string, code: number, reason: string, serverId?: string): void {
    for (const ch of this.all()) {
      if (ch.userId === userId && (!serverId || ch.serverId === serverId)) ch.kill(code, reason);
    }
  }

  /** A share changed: the grantee keeps only the channels their live grants still allow. */
  private async recheck(userId: string, serverId: string): Promise<void> {
    if (!this.all().some((ch) => ch.userId === userId && ch.serverId === serverId)) return;
    try {
      await this.tokens.assertChannelAccess(userId, serverId);
    } catch {
      this.closeUser(userId, 4403, 'access_revoked', serverId);
    }
  }

  private all(): ChannelEnd[] {
    const out: ChannelEnd[] = [];
    for (const t of this.tables.values()) out.push(...t.channels.values());
    return out;
  }

  private ping(): void {
    for (const ch of this.all()) {
      if (!(ch instanceof ClientChannel) || ch.paused) continue; // forwarded channels: their ingress pings
      if (!ch.alive) {
        this.log.log(`channel ${ch.id} of server ${ch.serverId}: client silent, dropped`);
        ch.kill(1001, 'client_timeout');
        ch.ws.terminate();
        continue;
      }
      ch.alive = false;
      if (ch.ws.readyState === WebSocket.OPEN) ch.ws.ping();
    }
  }
}
