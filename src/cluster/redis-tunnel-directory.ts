import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HubConfig } from '../config/config.js';
import { every, type PeriodicJob } from '../common/periodic.js';
import {
  TunnelDirectory,
  type SupersededListener,
  type TunnelLocation,
} from '../common/ports/tunnel-directory.port.js';
import { ClusterRedis } from './cluster-redis.js';
import { ClusterBus, type BusMessage } from './cluster-bus.js';
import { NodeRegistry } from './node-registry.js';
import { CLAIM, REFRESH, RELEASE } from './presence-scripts.js';

/** How often the whole table is read again (messages missed during a Redis outage are made good). */
export const PRESENCE_RESYNC_MS = 10_000;

interface Entry {
  n: string;
  u: string;
  t: string;
  e: number;
}

const toLocation = (e: Entry): TunnelLocation => ({ nodeId: e.n, nodeUrl: e.u, epoch: Number(e.e), tunnelId: e.t });

function parse(raw: string | null): Entry | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Entry;
    return typeof v.n === 'string' && typeof v.t === 'string' && typeof v.u === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Cluster mode's table of live tunnels, in Redis: `tunnel:<server>` → replica, URL, tunnel and
 * epoch, with a TTL refreshed on every tunnel heartbeat. Each replica keeps a copy in memory, kept
 * current by the `claimed` / `released` messages and read again every PRESENCE_RESYNC_MS, so a
 * relayed request asks Redis nothing unless the server is unknown here.
 */
@Injectable()
export class RedisTunnelDirectory extends TunnelDirectory implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ClusterPresence');
  readonly enabled = true;
  private readonly mirror = new Map<string, TunnelLocation>();
  private readonly listeners: SupersededListener[] = [];
  private job?: PeriodicJob;
  /** bound twice (its class and the TunnelDirectory port): lifecycle hooks run once */
  private started = false;

  constructor(
    private readonly cfg: HubConfig,
    private readonly redis: ClusterRedis,
    private readonly bus: ClusterBus,
    private readonly nodes: NodeRegistry,
    private readonly adapterHost: HttpAdapterHost,
    private readonly scheduler: SchedulerRegistry,
  ) {
    super();
  }

  get nodeId(): string {
    return this.cfg.cluster.nodeId;
  }

  /** An entry outlives three missed tunnel heartbeats of its replica. */
  private get ttlMs(): number {
    return Math.max(3 * this.cfg.relay.heartbeatIntervalSeconds, 30) * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.started || !this.cfg.cluster.enabled || !this.adapterHost.httpAdapter) return;
    this.started = true;
    this.bus.subscribe((m) => this.onMessage(m));
    await this.resync().catch((e: Error) => this.log.warn(`presence read failed: ${e.message}`));
    this.job = every(
      this.scheduler,
      'cluster.presence-resync',
      PRESENCE_RESYNC_MS,
      () => this.resync(),
      (e) => this.log.warn(`presence read failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
    this.job = undefined;
  }

  private keys(serverId: string): [string, string] {
    return [this.redis.key('tunnel', serverId), this.redis.key('epoch', serverId)];
  }

  async claim(serverId: string, tunnelId: string): Promise<number> {
    const [k, ek] = this.keys(serverId);
    const url = this.cfg.cluster.nodeUrl!;
    const e = Number(
      await this.redis.cmd.eval(CLAIM, 2, k, ek, this.nodeId, url, tunnelId, this.ttlMs, this.redis.channel, serverId),
    );
    this.mirror.set(serverId, { nodeId: this.nodeId, nodeUrl: url, epoch: e, tunnelId });
    return e;
  }

  async refresh(serverId: string, tunnelId: string, epoch: number): Promise<boolean> {
    const [k, ek] = this.keys(serverId);
    const entry = JSON.stringify({ n: this.nodeId, u: this.cfg.cluster.nodeUrl, t: tunnelId, e: epoch });
    return Number(await this.redis.cmd.eval(REFRESH, 2, k, ek, tunnelId, this.ttlMs, epoch, entry)) === 1;
  }

  async release(serverId: string, tunnelId: string, epoch: number): Promise<void> {
    const [k, ek] = this.keys(serverId);
    const msg = JSON.stringify({ k: 'released', n: this.nodeId, s: serverId, t: tunnelId, e: epoch });
    if (this.mirror.get(serverId)?.tunnelId === tunnelId) this.mirror.delete(serverId);
    await this.redis.cmd.eval(RELEASE, 2, k, ek, tunnelId, this.redis.channel, msg);
  }

  async locate(serverId: string, fresh = false): Promise<TunnelLocation | null> {
    let loc = fresh ? undefined : this.mirror.get(serverId);
    if (!loc) {
      const e = parse(await this.redis.cmd.get(this.keys(serverId)[0]));
      if (!e) {
        this.mirror.delete(serverId);
        return null;
      }
      loc = toLocation(e);
      this.mirror.set(serverId, loc);
    }
    return this.nodes.isLive(loc.nodeId) ? loc : null;
  }

  isLiveAnywhere(serverId: string): boolean {
    const loc = this.mirror.get(serverId);
    return !!loc && this.nodes.isLive(loc.nodeId);
  }

  liveCount(): number {
    let n = 0;
    for (const loc of this.mirror.values()) if (this.nodes.isLive(loc.nodeId)) n++;
    return n;
  }

  onSuperseded(listener: SupersededListener): void {
    this.listeners.push(listener);
  }

  private onMessage(m: BusMessage): void {
    if (m.k === 'claimed' && typeof m.s === 'string') {
      const loc: TunnelLocation = {
        nodeId: String(m.n),
        nodeUrl: String(m.u),
        epoch: Number(m.e),
        tunnelId: String(m.t),
      };
      const cur = this.mirror.get(m.s);
      if (!cur || cur.epoch <= loc.epoch) this.mirror.set(m.s, loc);
      if (loc.nodeId !== this.nodeId) for (const l of this.listeners) l(m.s, loc.epoch, loc.tunnelId);
    } else if (m.k === 'released' && typeof m.s === 'string') {
      if (this.mirror.get(m.s)?.tunnelId === m.t) this.mirror.delete(m.s);
    }
  }

  /** Read the whole table again. */
  async resync(): Promise<void> {
    const pattern = this.redis.key('tunnel', '*');
    const next = new Map<string, TunnelLocation>();
    let cursor = '0';
    do {
      const [c, keys] = await this.redis.cmd.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = c;
      if (!keys.length) continue;
      const values = await this.redis.cmd.mget(...keys);
      keys.forEach((k, i) => {
        const e = parse(values[i]);
        if (e) next.set(k.slice(pattern.length - 1), toLocation(e));
      });
    } while (cursor !== '0');
    this.mirror.clear();
    for (const [k, v] of next) this.mirror.set(k, v);
  }
}
