import { Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import type { RelaySession } from './entities/relay-session.entity.js';
import { RelaySessionsRepository, type SessionCounters } from './relay-sessions.repository.js';

export type { SessionCounters } from './relay-sessions.repository.js';

/**
 * The relay_sessions bookkeeping. The live registry (in memory) is the truth for routing;
 * these rows are for presence displays, accounting and audits. DB failures are logged and
 * never break a tunnel.
 */
@Injectable()
export class RelaySessionsService {
  private readonly log = new Logger('RelaySessions');
  readonly node: string;

  constructor(
    private readonly repo: RelaySessionsRepository,
    private readonly clock: Clock,
    cfg: HubConfig,
  ) {
    this.node = (cfg.relay.node || `${hostname()}`).slice(0, 128);
  }

  /** Insert the row of a newly promoted tunnel and supersede any other open row of that server. */
  async open(serverId: string, tunnelId: string, remoteIp: string | null, flowControl: string): Promise<string> {
    const id = randomUUID();
    const now = this.clock.now();
    await this.repo.insert({
      id,
      serverId,
      tunnelId,
      workerNode: this.node,
      remoteIp: remoteIp?.slice(0, 64) ?? null,
      flowControl,
      openedAt: now,
      closedAt: null,
      lastFrameAt: now,
      bytesIn: 0,
      bytesOut: 0,
      closeReason: null,
    });
    return id;
  }

  /** Close other open rows of the server (a reconnect supersedes what a crash or another node left). */
  async supersede(serverId: string, keep: string[]): Promise<void> {
    await this.safe(() => this.repo.supersede(serverId, keep, this.clock.now()));
  }

  async flush(id: string, c: SessionCounters): Promise<void> {
    await this.safe(() => this.repo.counters(id, c));
  }

  async close(id: string, reason: string, c: SessionCounters): Promise<void> {
    await this.safe(() => this.repo.close(id, reason.slice(0, 64), c, this.clock.now()));
  }

  /**
   * At start: rows this node left open belong to tunnels that died with the previous process;
   * rows of any node silent for `staleMs` are orphans too (a node that crashed for good).
   */
  async reconcile(staleMs: number): Promise<number> {
    let n = 0;
    await this.safe(async () => {
      n += await this.repo.closeNode(this.node, 'reconciled_on_start', this.clock.now());
    });
    n += await this.reapStale(staleMs);
    return n;
  }

  /** Close open rows (of any node) whose last flushed frame is older than `staleMs`. */
  async reapStale(staleMs: number, keep: ReadonlySet<string> = new Set()): Promise<number> {
    const now = this.clock.now();
    let n = 0;
    await this.safe(async () => {
      n = await this.repo.closeStale(now - staleMs, [...keep], now);
    });
    return n;
  }

  findOpen(serverId: string): Promise<RelaySession | null> {
    return this.repo.findOpen(serverId);
  }

  findById(id: string): Promise<RelaySession | null> {
    return this.repo.findById(id);
  }

  private async safe(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.error(`relay_sessions update failed: ${(e as Error).message}`);
    }
  }
}
