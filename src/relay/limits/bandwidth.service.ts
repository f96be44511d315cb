import { Injectable } from '@nestjs/common';
import { HubError } from '../../common/hub-error.js';
import { AuditService } from '../../audit/audit.service.js';
import { UsersService } from '../../users/users.service.js';
import { ServerDirectory } from '../../common/ports/server-directory.port.js';
import { RelayLimits } from './relay-limits.js';
import { RelayUsageService } from './usage.service.js';
import { RelayUserLimitsService, type LimitsPatch } from './user-limits.service.js';
import { StreamLeasesService } from './stream-leases.service.js';
import { parsePeriod, type Period } from './period.js';
import type { RelayUserLimits } from '../entities/relay-user-limits.entity.js';

/** The bandwidth rollup (snake_case, a superset of the Phlix hub's `/me/bandwidth` body). */
export interface BandwidthView {
  user_id: string;
  period: string;
  period_start: string;
  period_end: string;
  bytes_in: number;
  bytes_out: number;
  quota_bytes_in: number;
  quota_bytes_out: number;
  max_concurrent_streams: number;
  throttle_bps: number;
  active_streams: number;
  servers: { server_id: string; server_name: string | null; bytes_in: number; bytes_out: number }[];
  /** admin views only: the per-user values set (null = hub default) */
  overrides?: {
    quota_bytes_in: number | null;
    quota_bytes_out: number | null;
    max_concurrent_streams: number | null;
    throttle_bps: number | null;
  };
}

/** Reads and changes of relay usage and limits for the REST surface. */
@Injectable()
export class RelayBandwidthService {
  constructor(
    private readonly users: UsersService,
    private readonly servers: ServerDirectory,
    private readonly usage: RelayUsageService,
    private readonly limits: RelayUserLimitsService,
    private readonly leases: StreamLeasesService,
    private readonly relayLimits: RelayLimits,
    private readonly audit: AuditService,
  ) {}

  period(key?: string): Period {
    if (!key) return this.usage.period();
    const p = parsePeriod(key);
    if (!p) throw new HubError('request.validation_failed', "period must be 'YYYY-MM'");
    return p;
  }

  async view(userId: string, periodKey: string | undefined, admin: boolean): Promise<BandwidthView> {
    const p = this.period(periodKey);
    const [rows, over, active] = await Promise.all([
      this.usage.userServers(userId, p.key),
      this.limits.overrides(userId),
      this.leases.countUser(userId),
    ]);
    const eff = this.limits.merge(over);
    const names = await this.serverNames(rows.map((r) => r.serverId));
    const v: BandwidthView = {
      user_id: userId,
      period: p.key,
      period_start: new Date(p.start).toISOString(),
      period_end: new Date(p.end).toISOString(),
      bytes_in: rows.reduce((a, r) => a + r.bytesIn, 0),
      bytes_out: rows.reduce((a, r) => a + r.bytesOut, 0),
      quota_bytes_in: eff.quotaBytesIn,
      quota_bytes_out: eff.quotaBytesOut,
      max_concurrent_streams: eff.maxStreams,
      throttle_bps: eff.throttleBps,
      active_streams: active,
      servers: rows.map((r) => ({
        server_id: r.serverId,
        server_name: names.get(r.serverId) ?? null,
        bytes_in: r.bytesIn,
        bytes_out: r.bytesOut,
      })),
    };
    if (admin) v.overrides = overridesOf(over);
    return v;
  }

  async overview(periodKey: string | undefined, limit = 50) {
    const p = this.period(periodKey);
    const o = await this.usage.overview(p.key, limit);
    const [users, servers] = await Promise.all([
      this.userNames(o.users.map((u) => u.userId)),
      this.serverNames(o.servers.map((s) => s.serverId)),
    ]);
    return {
      period: p.key,
      period_start: new Date(p.start).toISOString(),
      period_end: new Date(p.end).toISOString(),
      bytes_in: o.totals.bytesIn,
      bytes_out: o.totals.bytesOut,
      active_streams: await this.leases.countAll(),
      users: o.users.map((u) => ({
        user_id: u.userId,
        username: users.get(u.userId) ?? null,
        bytes_in: u.bytesIn,
        bytes_out: u.bytesOut,
      })),
      servers: o.servers.map((s) => ({
        server_id: s.serverId,
        server_name: servers.get(s.serverId) ?? null,
        bytes_in: s.bytesIn,
        bytes_out: s.bytesOut,
      })),
    };
  }

  /** Admin change of a user's limits: durable, audited, applied to open streams at once. */
  async set(
    actor: { id: string },
    userId: string,
    patch: LimitsPatch,
    action: 'user.quota.set' | 'user.throttle.set',
    ip: string,
  ): Promise<BandwidthView> {
    await this.assertUser(userId);
    const { before, after } = await this.limits.set(userId, patch, actor.id);
    this.relayLimits.applyLimits(userId, this.limits.merge(after));
    await this.audit.record({
      action,
      actorType: 'admin',
      actorId: actor.id,
      targetType: 'user',
      targetId: userId,
      ip,
      details: { before: overridesOf(before), after: overridesOf(after) },
    });
    return this.view(userId, undefined, true);
  }

  async assertUser(userId: string): Promise<void> {
    if (!(await this.users.findById(userId))) throw new HubError('user.not_found', 'No such user');
  }

  private serverNames(ids: string[]): Promise<Map<string, string>> {
    return this.servers.namesOf(ids);
  }

  private userNames(ids: string[]): Promise<Map<string, string>> {
    return this.users.findByIds(ids).then((us) => new Map(us.map((u) => [u.id, u.username])));
  }
}

function overridesOf(r: RelayUserLimits | null) {
  return {
    quota_bytes_in: r?.quotaBytesIn ?? null,
    quota_bytes_out: r?.quotaBytesOut ?? null,
    max_concurrent_streams: r?.maxStreams ?? null,
    throttle_bps: r?.throttleBps ?? null,
  };
}
