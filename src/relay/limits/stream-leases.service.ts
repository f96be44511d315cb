import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { hostname } from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { HubEvents } from '../../common/hub-events.js';
import { StreamLeasesRepository, type LeaseRow, type RemoteLeaseCounts } from './stream-leases.repository.js';

/** How often a process marks its open streams as alive. */
export const LEASE_REFRESH_MS = 30_000;
/** Leases not refreshed for this long belong to a process that died: they stop counting. */
export const LEASE_STALE_MS = 4 * LEASE_REFRESH_MS;
/** A lease is written once its stream has lived this long, in a batch with the others then due (a short request never touches the DB); the rows of ended ones go at once. */
export const LEASE_WRITE_MS = 250;
/** How often the other processes' leases are counted again (what the fast path adds to its own). */
export const LEASE_SYNC_MS = 500;

export type StreamKind = 'http' | 'channel';

export type LeaseRefusal = 'hub' | 'user' | 'server';

/** Below a cap by more than this, admission is served from memory; closer, it takes the DB lock. */
export function headroom(cap: number): number {
  return Math.max(8, Math.ceil(cap / 10));
}

const bump = (m: Map<string, number>, k: string, d: number) => {
  const n = (m.get(k) ?? 0) + d;
  if (n > 0) m.set(k, n);
  else m.delete(k);
};

/**
 * Open relay streams, so HUB_MAX_RELAY_SESSIONS and the per-user and per-server stream caps hold
 * across every hub process. Each process counts its own streams exactly in memory and learns the
 * others' from relay_stream_leases every LEASE_SYNC_MS. Far below every cap (more than `headroom`),
 * a stream is admitted from memory and its row written in a batch once it has lived LEASE_WRITE_MS (a stream
 * that ended by then is never written); near a cap, admission is one short transaction that locks
 * the `admission` row of relay_locks (MySQL; SQLite serialises writers), counts the other
 * processes' live leases and inserts this one: exactly one winner for the last slot.
 */
@Injectable()
export class StreamLeasesService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayLeases');
  /** this process instance (host name + pid + random): leases of a dead instance go stale */
  readonly node: string;
  private readonly live = new Map<string, LeaseRow>();
  private readonly users = new Map<string, number>();
  private readonly servers = new Map<string, number>();
  /** rows in the DB, or about to be */
  private readonly written = new Set<string>();
  /** not written yet, oldest first, with when each stream started (performance.now()) */
  private toInsert = new Map<string, { row: LeaseRow; at: number }>();
  private toDelete = new Set<string>();
  private writer: NodeJS.Timeout | null = null;
  private prompt: NodeJS.Immediate | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** ended leases whose DELETE is on its way */
  private deleting = 0;
  private remote: RemoteLeaseCounts = { total: 0, users: new Map(), servers: new Map() };
  private jobs: PeriodicJob[] = [];

  constructor(
    private readonly repo: StreamLeasesRepository,
    private readonly clock: Clock,
    cfg: HubConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly events: HubEvents,
  ) {
    // in cluster mode the replica's node id leads, so a replica found dead has its leases dropped
    const name = cfg.cluster.enabled ? cfg.cluster.nodeId : cfg.relay.node || hostname();
    this.node = `${name.slice(0, 128)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  onModuleInit(): void {
    const warn = (what: string) => (e: Error) => this.log.warn(`${what} failed: ${e.message}`);
    // a replica that died: its streams stop counting now, not after LEASE_STALE_MS (a process of that
    // replica started again would have beaten first and not be called gone)
    this.events.on('cluster.node_gone', async ({ nodeId, detectedAt }) => {
      const n = await this.repo.dropReplica(nodeId, detectedAt);
      if (n) this.log.log(`dropped ${n} stream lease(s) of replica ${nodeId}, gone`);
      await this.sync();
    });
    this.jobs.push(
      every(this.scheduler, 'relay.lease-refresh', LEASE_REFRESH_MS, () => this.refresh(), warn('lease refresh')),
      every(this.scheduler, 'relay.lease-sync', LEASE_SYNC_MS, () => this.sync(), warn('lease sync')),
    );
  }

  async onModuleDestroy(): Promise<void> {
    for (const j of this.jobs) j.stop();
    if (this.writer) clearTimeout(this.writer);
    if (this.prompt) clearImmediate(this.prompt);
    await this.writing;
    if (!this.written.size && !this.live.size) return;
    await this.safe(() => this.repo.dropNode(this.node));
    this.live.clear();
    this.written.clear();
    this.toDelete.clear();
  }

  /** Leases this process holds, including ended ones whose rows are still being removed. */
  /** Streams of this user open in other processes (as of the last sync). */
  remoteUserStreams(userId: string): number {
    return this.remote.users.get(userId) ?? 0;
  }

  /** Streams open in other processes (as of the last sync). */
  get remoteCount(): number {
    return this.remote.total;
  }

  get localCount(): number {
    return this.live.size + this.toDelete.size + this.deleting;
  }

  /**
   * Take a slot, or say which cap refused it. `hubMax` ≥ 1; `userMax` / `serverMax` 0 = no such cap.
   */
  async acquire(
    userId: string,
    serverId: string,
    kind: StreamKind,
    hubMax: number,
    userMax: number,
    serverMax = 0,
  ): Promise<{ id: string } | { refused: LeaseRefusal }> {
    const row: LeaseRow = { id: randomUUID(), userId, serverId, kind };
    const mine = { hub: this.live.size, user: this.users.get(userId) ?? 0, server: this.servers.get(serverId) ?? 0 };
    const r = this.remote;
    const roomy = (have: number, cap: number) => cap <= 0 || have + headroom(cap) < cap;
    if (
      roomy(mine.hub + r.total, hubMax) &&
      roomy(mine.user + (r.users.get(userId) ?? 0), userMax) &&
      roomy(mine.server + (r.servers.get(serverId) ?? 0), serverMax)
    ) {
      this.hold(row);
      this.toInsert.set(row.id, { row, at: performance.now() });
      this.schedule();
      return { id: row.id };
    }
    const now = this.clock.now();
    // the counts of this process are read after the lock is held, so concurrent admissions here see each other
    let held = false;
    const refused = await this.repo
      .admitLocked(
        this.node,
        now - LEASE_STALE_MS,
        userId,
        serverId,
        (o): { refused: LeaseRefusal } | null => {
          if (o.hub + this.live.size >= hubMax) return { refused: 'hub' };
          if (userMax > 0 && o.user + (this.users.get(userId) ?? 0) >= userMax) return { refused: 'user' };
          if (serverMax > 0 && o.server + (this.servers.get(serverId) ?? 0) >= serverMax) return { refused: 'server' };
          this.hold(row);
          held = true;
          return null;
        },
        row,
        now,
      )
      .catch((e: unknown) => {
        if (held) void this.release(row.id);
        throw e;
      });
    if (!refused) this.written.add(row.id);
    return refused ?? { id: row.id };
  }

  /** The stream ended. Never throws. */
  async release(id: string): Promise<void> {
    const row = this.live.get(id);
    if (!row) return;
    this.live.delete(id);
    bump(this.users, row.userId, -1);
    bump(this.servers, row.serverId, -1);
    if (this.toInsert.delete(id)) return; // never written
    if (!this.written.has(id)) return;
    // a written row is of a stream that lived a while: out at once, so its slot frees hub-wide
    this.toDelete.add(id);
    if (!this.prompt) {
      this.prompt = setImmediate(() => {
        this.prompt = null;
        void this.write('deletes'); // the leases of streams still young stay unwritten
      });
    }
  }

  /** Live leases of a user, hub-wide. */
  async countUser(userId: string): Promise<number> {
    return (
      (this.users.get(userId) ?? 0) +
      (await this.repo.countOthers(this.node, this.clock.now() - LEASE_STALE_MS, userId))
    );
  }

  async countAll(): Promise<number> {
    return this.live.size + (await this.repo.countOthers(this.node, this.clock.now() - LEASE_STALE_MS));
  }

  /** Mark this process's leases alive and drop stale rows of dead processes. */
  async refresh(): Promise<void> {
    const now = this.clock.now();
    await this.flush();
    if (this.written.size) await this.safe(() => this.repo.touch(this.node, now));
    await this.safe(() => this.repo.dropStale(this.node, now - LEASE_STALE_MS));
  }

  /** Count the other processes' live leases again. */
  async sync(): Promise<void> {
    this.remote = await this.repo.others(this.node, this.clock.now() - LEASE_STALE_MS);
  }

  /** Write everything pending now. */
  flush(): Promise<void> {
    return this.write('all');
  }

  /**
   * One batch: the rows of ended streams, and the new rows that are due (`due`: streams that have
   * lived LEASE_WRITE_MS; `all`: every one; `deletes`: none).
   */
  private write(mode: 'all' | 'due' | 'deletes'): Promise<void> {
    const insert: LeaseRow[] = [];
    if (mode !== 'deletes') {
      if (this.writer) clearTimeout(this.writer);
      this.writer = null;
      const now = performance.now();
      for (const [id, p] of this.toInsert) {
        if (mode === 'due' && now - p.at < LEASE_WRITE_MS - 1) break; // oldest first: the rest are younger
        insert.push(p.row);
        this.toInsert.delete(id);
      }
      this.schedule();
    }
    const remove = [...this.toDelete];
    this.toDelete = new Set();
    if (!insert.length && !remove.length) return this.writing;
    for (const r of insert) this.written.add(r.id);
    this.deleting += remove.length;
    this.writing = this.writing.then(async () => {
      try {
        await this.repo.apply(this.node, insert, remove, this.clock.now());
      } catch (e) {
        this.log.error(`relay_stream_leases update failed: ${(e as Error).message}`);
      }
      for (const id of remove) this.written.delete(id);
      this.deleting -= remove.length;
    });
    return this.writing;
  }

  private hold(row: LeaseRow): void {
    this.live.set(row.id, row);
    bump(this.users, row.userId, 1);
    bump(this.servers, row.serverId, 1);
  }

  /** The batch timer, set for when the oldest unwritten lease comes due. */
  private schedule(): void {
    if (this.writer) return;
    const oldest = this.toInsert.values().next().value;
    if (!oldest) return;
    const wait = Math.max(0, oldest.at + LEASE_WRITE_MS - performance.now());
    this.writer = setTimeout(() => void this.write('due'), wait);
    this.writer.unref?.();
  }

  private async safe(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.error(`relay_stream_leases update failed: ${(e as Error).message}`);
    }
  }
}
