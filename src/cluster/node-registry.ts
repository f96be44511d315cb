import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { every, type PeriodicJob } from '../common/periodic.js';
import { KeysService } from '../auth/keys.service.js';
import { HubNodesRepository } from './hub-nodes.repository.js';
import { HubEvents } from '../common/hub-events.js';

/** A replica missing this many heartbeats in a row counts as dead. */
export const MISSED_BEATS = 3;
/** Rows of replicas not seen for this long are removed. */
const FORGET_MS = 7 * 24 * 3600 * 1000;
/** How often those rows are looked for (not on every beat). */
const SWEEP_MS = 3600 * 1000;

export interface NodeView {
  id: string;
  url: string;
  state: string;
  startedAt: number;
  seenAt: number;
  live: boolean;
  /** publishes the same signing keys as the replica that answered */
  keysMatch: boolean;
}

/**
 * The replicas of a cluster (cluster mode, replicas that serve HTTP): this one writes its row
 * in hub_nodes every HUB_NODE_HEARTBEAT_INTERVAL seconds and reads which others are alive.
 */
@Injectable()
export class NodeRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ClusterNodes');
  private live = new Map<string, string>();
  /** replicas already reported for publishing other signing keys */
  private readonly keyWarned = new Set<string>();
  private job?: PeriodicJob;
  private state: 'up' | 'draining' | 'stopped' = 'up';
  private readonly startedAt: number;
  private serving = false;
  private sweptAt = 0;

  constructor(
    private readonly cfg: HubConfig,
    private readonly repo: HubNodesRepository,
    private readonly clock: Clock,
    private readonly adapterHost: HttpAdapterHost,
    private readonly scheduler: SchedulerRegistry,
    private readonly keys: KeysService,
    private readonly events: HubEvents,
  ) {
    this.startedAt = clock.now();
  }

  get nodeId(): string {
    return this.cfg.cluster.nodeId;
  }

  private get beatMs(): number {
    return this.cfg.cluster.nodeHeartbeatSeconds * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.cfg.cluster.enabled || !this.adapterHost.httpAdapter) return;
    this.serving = true;
    await this.beat();
    this.job = every(
      this.scheduler,
      'cluster.node-heartbeat',
      this.beatMs,
      () => this.beat(),
      (e) => this.log.warn(`heartbeat failed: ${e.message}`),
    );
    this.log.log(`replica ${this.nodeId} joined the cluster (${this.live.size} live)`);
  }

  private keyIds(): string {
    return this.keys
      .jwks()
      .keys.map((k) => k.kid)
      .sort()
      .join(',')
      .slice(0, 1024);
  }

  async beat(): Promise<void> {
    const now = this.clock.now();
    const keyIds = this.keyIds();
    const row = {
      id: this.nodeId,
      url: this.cfg.cluster.nodeUrl!,
      state: this.state,
      keyIds,
      startedAt: this.startedAt,
    };
    await this.repo.beat(row, now);
    const since = now - MISSED_BEATS * this.beatMs;
    const all = await this.repo.all();
    const rows = all.filter((r) => r.state !== 'stopped' && r.seenAt > since);
    const before = this.live;
    this.live = new Map(rows.map((r) => [r.id, r.url]));
    for (const id of before.keys()) {
      if (id === this.nodeId || this.live.has(id)) continue;
      const lastSeenAt = all.find((r) => r.id === id)?.seenAt ?? since;
      this.log.warn(`replica ${id} is gone (last heartbeat ${new Date(lastSeenAt).toISOString()})`);
      await this.events.emit('cluster.node_gone', { nodeId: id, lastSeenAt, detectedAt: now });
    }
    for (const r of rows) {
      if (r.keyIds === keyIds || this.keyWarned.has(r.id)) continue;
      this.keyWarned.add(r.id);
      // tokens signed there fail here and the other way round: the load balancer makes that look random
      this.log.error(
        `replica ${r.id} publishes other signing keys than this one: give every replica the same keys/hub-keys.json of HUB_DATA_DIR (docs/scaling.md)`,
      );
    }
    if (now - this.sweptAt >= SWEEP_MS) {
      this.sweptAt = now;
      await this.repo.sweep(now - FORGET_MS);
    }
  }

  /** Is that replica alive (as of the last heartbeat)? This replica is, until it stops. */
  isLive(nodeId: string): boolean {
    if (nodeId === this.nodeId) return this.state !== 'stopped';
    return this.live.has(nodeId);
  }

  /** The replica is shutting down: still serving what it holds, about to go. */
  async markDraining(): Promise<void> {
    if (!this.serving) return;
    this.state = 'draining';
    await this.repo.setState(this.nodeId, 'draining', this.clock.now()).catch(() => undefined);
  }

  async nodes(): Promise<NodeView[]> {
    const since = this.clock.now() - MISSED_BEATS * this.beatMs;
    const mine = this.keyIds();
    return (await this.repo.all()).map((r) => ({
      id: r.id,
      url: r.url,
      state: r.state,
      startedAt: r.startedAt,
      seenAt: r.seenAt,
      live: r.state !== 'stopped' && r.seenAt > since,
      keysMatch: r.keyIds === mine,
    }));
  }

  async onModuleDestroy(): Promise<void> {
    this.job?.stop();
    if (!this.serving) return;
    this.state = 'stopped';
    this.serving = false;
    await this.repo.setState(this.nodeId, 'stopped', this.clock.now()).catch(() => undefined);
  }
}
