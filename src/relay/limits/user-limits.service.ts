import { Injectable } from '@nestjs/common';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { RelayUserLimitsRepository } from './user-limits.repository.js';
import { RelayUserLimits } from '../entities/relay-user-limits.entity.js';

/** A user's effective relay limits (0 = unlimited). */
export interface EffectiveLimits {
  quotaBytesIn: number;
  quotaBytesOut: number;
  maxStreams: number;
  throttleBps: number;
}

/** What an admin sets: a number (0 = unlimited), null (back to the hub default) or undefined (unchanged). */
export type LimitsPatch = { [K in keyof EffectiveLimits]?: number | null };

const CACHE_MS = 10_000;
const FIELDS: (keyof EffectiveLimits)[] = ['quotaBytesIn', 'quotaBytesOut', 'maxStreams', 'throttleBps'];

/**
 * Durable per-user limits (table relay_user_limits, one row per user, never per period) over
 * the hub defaults from the environment. Reads are cached for a few seconds per process; a
 * change made here is visible at once in this process; open streams of other processes follow it
 * within a second (RelayLimits reloads the limits of users with open streams), new admissions
 * within CACHE_MS.
 */
@Injectable()
export class RelayUserLimitsService {
  private readonly cache = new Map<string, { at: number; row: RelayUserLimits | null }>();

  constructor(
    private readonly repo: RelayUserLimitsRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
  ) {}

  get defaults(): EffectiveLimits {
    const c = this.cfg;
    return {
      quotaBytesIn: c.relay.userQuotaInBytes,
      quotaBytesOut: c.relay.userQuotaOutBytes,
      maxStreams: c.relay.userMaxStreams,
      throttleBps: c.relay.userThrottleBitsPerSecond,
    };
  }

  /** The stored overrides (null fields = default), or null when the user has none. */
  async overrides(userId: string): Promise<RelayUserLimits | null> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.row;
    const row = await this.repo.find(userId);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(userId, { at: Date.now(), row });
    return row;
  }

  /** Read the overrides of many users again (the live streams' reconcile): their effective limits. */
  async reload(userIds: string[]): Promise<Map<string, EffectiveLimits>> {
    const rows = new Map((await this.repo.findMany(userIds)).map((r) => [r.userId, r]));
    const out = new Map<string, EffectiveLimits>();
    const at = Date.now();
    for (const id of userIds) {
      const row = rows.get(id) ?? null;
      this.cache.set(id, { at, row });
      out.set(id, this.merge(row));
    }
    return out;
  }

  async effective(userId: string): Promise<EffectiveLimits> {
    return this.merge(await this.overrides(userId));
  }

  merge(row: RelayUserLimits | null): EffectiveLimits {
    const d = this.defaults;
    const out = { ...d };
    for (const f of FIELDS) {
      const v = row?.[f];
      if (v !== null && v !== undefined) out[f] = Number(v);
    }
    return out;
  }

  /** Apply a patch (upsert of the one row); returns the stored overrides before and after. */
  async set(
    userId: string,
    patch: LimitsPatch,
    actorId: string,
  ): Promise<{ before: RelayUserLimits | null; after: RelayUserLimits }> {
    const before = await this.repo.find(userId);
    const next: RelayUserLimits = {
      userId,
      quotaBytesIn: before?.quotaBytesIn ?? null,
      quotaBytesOut: before?.quotaBytesOut ?? null,
      maxStreams: before?.maxStreams ?? null,
      throttleBps: before?.throttleBps ?? null,
      updatedAt: this.clock.now(),
      updatedBy: actorId,
    };
    for (const f of FIELDS) {
      if (patch[f] !== undefined) (next as unknown as Record<string, number | null>)[f] = patch[f] ?? null;
    }
    await this.repo.upsert(next);
    this.cache.delete(userId);
    return { before, after: next };
  }

  async forget(userId: string): Promise<void> {
    this.cache.delete(userId);
    await this.repo.remove(userId);
  }
}
