import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HubConfig } from '../../config/config.js';
import { HubError } from '../../common/hub-error.js';
import { HubEvents } from '../../common/hub-events.js';
import { SchedulerRegistry } from '@nestjs/schedule';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { RelayRequestRate } from './request-rate.js';
import { TokenBucket } from './token-bucket.js';
import { RelayUsageService } from './usage.service.js';
import { RelayUserLimitsService, type EffectiveLimits } from './user-limits.service.js';
import { StreamLeasesService, type StreamKind } from './stream-leases.service.js';
import { TunnelRegistry } from '../tunnel/registry.js';

export type RelayAction = 'browse' | 'play' | 'download';

/** What a stream is, as the limits see it at admission. */
export interface RelayStreamInfo {
  userId: string;
  serverId: string;
  role: 'owner' | 'grantee';
  action: RelayAction;
  method: string;
  path: string;
  /** 'http' (proxied request, the default) or 'channel' (raw client channel) */
  kind?: StreamKind;
}

/** Admission ticket of one stream. */
export interface StreamLease {
  /**
   * Bytes that moved: 'down' = server → client (response body), 'up' = client → server (request body).
   * Returns how many ms the stream should pause before moving more (a throttle); 0 = go on.
   * Called on the hot path: keep it cheap (accumulate, flush elsewhere).
   */
  meter(direction: 'up' | 'down', bytes: number): number;
  /** The stream ended (any way). Called exactly once. */
  release(): void;
}

/** Live state of a user with open streams in this process. */
interface UserState {
  period: string;
  /** bytes used this period (DB + unflushed at the last admission, plus what moved since) */
  usedIn: number;
  usedOut: number;
  limits: EffectiveLimits;
  /** shared by all of the user's streams (per-user throttle); null = unthrottled */
  bucket: TokenBucket | null;
  streams: number;
  exhausted: boolean;
}

/** Someone holding streams the proxy does not know (raw channels) that must end when a quota runs out. */
export type ExhaustedListener = (userId: string) => void;

const UPLOAD_FREE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How often the limits and usage of users with open streams are read again (changes made by other processes). */
export const LIMITS_RECONCILE_MS = 1000;

/**
 * The relay's limits, called once per proxied request / raw channel before anything is sent to
 * the server, then per body chunk:
 *  - request rate per user (HUB_RELAY_REQUEST_LIMIT per minute; counted in memory, shared through the
 *    DB every 500 ms: request-rate.ts) → 429 relay.rate_limited
 *  - monthly quota per user, download and upload (durable usage, UTC month) → 503 relay.quota_exceeded;
 *    a stream that crosses the quota is ended (with every other stream of that user)
 *  - concurrent streams hub-wide (HUB_MAX_RELAY_SESSIONS) and per user (HUB_RELAY_USER_MAX_STREAMS,
 *    a fair share by default; admins may override per user) → 503 relay.stream_limit; per server
 *    (HUB_RELAY_SERVER_MAX_STREAMS) → 503 relay.server_stream_limit (leases counted in memory and
 *    shared through the DB, exact near a cap: stream-leases.service.ts)
 *  - pacing: a per-stream cap (HUB_RELAY_STREAM_MAX_BPS) and a per-user throttle shared by the
 *    user's streams (token buckets; with streams on several processes each takes its share of the
 *    rate by stream count); `meter` returns how long to pause reads, nothing is dropped.
 * No query per admission in the steady state: usage totals are at most a second old plus this
 * process's own bytes, and every LIMITS_RECONCILE_MS the limits and totals of users with open
 * streams are read again in two queries, so a change made on another process (or another
 * process's bytes crossing a quota) reaches the streams here within about a second.
 */
@Injectable()
export class RelayLimits implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayLimits');
  private readonly users = new Map<string, UserState>();
  private readonly exhaustedListeners: ExhaustedListener[] = [];
  private job?: PeriodicJob;

  constructor(
    private readonly cfg: HubConfig,
    private readonly rate: RelayRequestRate,
    private readonly userLimits: RelayUserLimitsService,
    private readonly usage: RelayUsageService,
    private readonly leases: StreamLeasesService,
    private readonly registry: TunnelRegistry,
    private readonly events: HubEvents,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.events.on('user.deleted', async ({ userId }) => {
      this.users.delete(userId);
      await this.userLimits.forget(userId);
      await this.usage.forgetUser(userId);
    });
    this.job = every(
      this.scheduler,
      'relay.limits-reconcile',
      LIMITS_RECONCILE_MS,
      () => this.reconcile(),
      (e) => this.log.warn(`limits reconcile failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
  }

  /** Read the limits and totals of users with open streams again; apply what changed. */
  async reconcile(): Promise<void> {
    const ids = [...this.users.keys()];
    if (!ids.length) return;
    const period = this.usage.period().key;
    const [limits, totals] = await Promise.all([this.userLimits.reload(ids), this.usage.refreshTotals(ids, period)]);
    for (const id of ids) {
      const u = this.users.get(id);
      const l = limits.get(id);
      const t = totals.get(id);
      if (!u || !l || !t || u.period !== period) continue;
      u.usedIn = Math.max(u.usedIn, t.bytesIn);
      u.usedOut = Math.max(u.usedOut, t.bytesOut);
      const changed = (Object.keys(l) as (keyof EffectiveLimits)[]).some((k) => l[k] !== u.limits[k]);
      if (changed) {
        this.applyLimits(id, l);
      } else {
        this.setThrottle(u, this.throttleFor(u, id, l.throttleBps)); // the user's streams elsewhere may have changed
        this.checkQuota(u, id);
      }
    }
  }

  /** Users with relay streams open in this process. */
  activeUserIds(): string[] {
    return [...this.users.keys()];
  }

  /** Streams open in this process. */
  get activeStreams(): number {
    return this.leases.localCount;
  }

  onExhausted(l: ExhaustedListener): void {
    this.exhaustedListeners.push(l);
  }

  async admit(info: RelayStreamInfo): Promise<StreamLease> {
    const { userId, serverId } = info;
    const kind = info.kind ?? 'http';
    if (this.cfg.relay.requestsPerUserPerMinute > 0) {
      const wait = this.rate.consume(userId, this.cfg.relay.requestsPerUserPerMinute);
      if (wait) await wait;
    }
    const limits = await this.userLimits.effective(userId);
    const period = this.usage.period();
    const used = await this.usage.liveTotals(userId, period.key);
    const uploads = kind === 'channel' || !UPLOAD_FREE.has(info.method.toUpperCase());
    if (
      (limits.quotaBytesIn > 0 && used.bytesIn >= limits.quotaBytesIn) ||
      (uploads && limits.quotaBytesOut > 0 && used.bytesOut >= limits.quotaBytesOut)
    ) {
      const retry = Math.max(1, Math.ceil((period.end - this.usage.now()) / 1000));
      throw new HubError('relay.quota_exceeded', 'Your monthly relay quota is used up', undefined, {
        'Retry-After': String(retry),
      });
    }
    const got = await this.leases.acquire(
      userId,
      serverId,
      kind,
      this.cfg.relay.maxSessions,
      limits.maxStreams,
      this.cfg.relay.serverMaxStreams,
    );
    if ('refused' in got) {
      if (got.refused === 'server') {
        throw new HubError(
          'relay.server_stream_limit',
          'This server has too many relay streams open; try again shortly',
          undefined,
          { 'Retry-After': '5' },
        );
      }
      const msg =
        got.refused === 'hub'
          ? 'Too many relay streams are active; try again shortly'
          : 'You have too many relay streams open';
      throw new HubError('relay.stream_limit', msg, undefined, { 'Retry-After': '5' });
    }
    const u = this.userState(userId, period.key, used, limits);
    u.streams++;
    const perStream =
      this.cfg.relay.streamMaxBitsPerSecond > 0 ? new TokenBucket(this.cfg.relay.streamMaxBitsPerSecond) : null;
    let released = false;
    return {
      meter: (direction, bytes) => {
        if (released || bytes <= 0) return 0;
        this.account(u, userId, serverId, direction, bytes);
        let wait = perStream ? perStream.take(bytes) : 0;
        if (u.bucket) wait = Math.max(wait, u.bucket.take(bytes));
        return wait;
      },
      release: () => {
        if (released) return;
        released = true;
        if (--u.streams <= 0 && this.users.get(userId) === u) this.users.delete(userId);
        void this.leases.release(got.id);
      },
    };
  }

  /** New limits for a user (admin change): open streams follow them at once in this process. */
  applyLimits(userId: string, limits: EffectiveLimits): void {
    const u = this.users.get(userId);
    if (!u) return;
    u.limits = limits;
    this.setThrottle(u, this.throttleFor(u, userId, limits.throttleBps));
    u.exhausted = false;
    this.checkQuota(u, userId);
  }

  private userState(
    userId: string,
    period: string,
    used: { bytesIn: number; bytesOut: number },
    limits: EffectiveLimits,
  ): UserState {
    let u = this.users.get(userId);
    if (!u) {
      u = { period, usedIn: 0, usedOut: 0, limits, bucket: null, streams: 0, exhausted: false };
      this.users.set(userId, u);
    }
    // the admission read is the freshest total (other processes' flushed bytes included)
    u.period = period;
    u.usedIn = used.bytesIn;
    u.usedOut = used.bytesOut;
    u.limits = limits;
    u.exhausted = false;
    this.setThrottle(u, this.throttleFor(u, userId, limits.throttleBps));
    return u;
  }

  /**
   * The per-user throttle is one rate for the whole hub: a process takes the share of it that its
   * streams are of the user's streams everywhere (the other processes' counts are at most a second old).
   */
  private throttleFor(u: UserState, userId: string, bps: number): number {
    if (bps <= 0) return 0;
    const local = Math.max(u.streams, 1);
    const remote = this.leases.remoteUserStreams(userId);
    return Math.max(8 * 1024, Math.floor((bps * local) / (local + remote)));
  }

  private setThrottle(u: UserState, bps: number): void {
    if (bps <= 0) u.bucket = null;
    else if (!u.bucket) u.bucket = new TokenBucket(bps);
    else if (u.bucket.rateBps !== bps) u.bucket.setRate(bps);
  }

  private account(u: UserState, userId: string, serverId: string, direction: 'up' | 'down', bytes: number): void {
    const period = this.usage.period().key;
    if (period !== u.period) {
      // a new month: usage starts again (limits are durable and stay)
      u.period = period;
      u.usedIn = 0;
      u.usedOut = 0;
      u.exhausted = false;
    }
    if (direction === 'down') {
      u.usedIn += bytes;
      this.usage.add(period, userId, serverId, bytes, 0);
    } else {
      u.usedOut += bytes;
      this.usage.add(period, userId, serverId, 0, bytes);
    }
    this.checkQuota(u, userId);
  }

  private checkQuota(u: UserState, userId: string): void {
    if (u.exhausted) return;
    const { quotaBytesIn: qi, quotaBytesOut: qo } = u.limits;
    if (!((qi > 0 && u.usedIn > qi) || (qo > 0 && u.usedOut > qo))) return;
    u.exhausted = true;
    // not from inside the stream's own data handler: end the user's streams on the next turn
    setImmediate(() => {
      this.log.log(`relay quota of user ${userId} used up: ending their streams`);
      this.registry.endUserStreams(userId, undefined, 'quota_exceeded');
      for (const l of this.exhaustedListeners) {
        try {
          l(userId);
        } catch (e) {
          this.log.error(`quota listener failed: ${(e as Error).message}`);
        }
      }
    });
  }
}
