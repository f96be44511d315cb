import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { RelayPresence } from '../common/relay-presence.js';
import { AuditQueryService } from '../audit/audit-query.service.js';
import { UsersService } from '../users/users.service.js';
import { ServerStats } from '../common/ports/server-stats.port.js';
import { RelayTraffic } from '../common/ports/relay-traffic.port.js';

/** Live counters for the admin dashboard, read straight from the tables (no cache: admins only). */
@Injectable()
export class AdminDashboardService {
  constructor(
    private readonly usersSvc: UsersService,
    private readonly serverStats: ServerStats,
    private readonly traffic: RelayTraffic,
    private readonly clock: Clock,
    private readonly presence: RelayPresence,
    private readonly audit: AuditQueryService,
  ) {}

  async summary() {
    const now = this.clock.now();
    const d = new Date(now);
    const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const [users, servers, relayBytes, recent] = await Promise.all([
      this.users(),
      this.servers(),
      this.relayBytesToday(dayStart),
      this.audit.recent(10),
    ]);
    const live = this.presence.hubWide();
    return {
      generated_at: new Date(now).toISOString(),
      users,
      servers,
      relay: {
        active_tunnels: live.tunnels,
        active_streams: live.streams,
        bytes_today: relayBytes.bytes,
        bytes_today_since: new Date(dayStart).toISOString(),
        ...(relayBytes.note ? { note: relayBytes.note } : {}),
      },
      recent_activity: recent,
    };
  }

  private users() {
    return this.usersSvc.accountCounts();
  }

  /** Claimed servers (owner set) by status; "online" is what the servers module last wrote. */
  private async servers() {
    const by = await this.serverStats.claimedCountsByStatus();
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    return {
      total,
      online: by.online ?? 0,
      offline: by.offline ?? 0,
      claiming: by.claiming ?? 0,
      disabled: by.disabled ?? 0,
    };
  }

  /**
   * Bytes through tunnels that were open at some point today (UTC). relay_sessions keeps one
   * cumulative counter per tunnel lifetime, so a tunnel opened before midnight also counts its
   * earlier bytes: an upper bound, flushed by the relay periodically.
   */
  private async relayBytesToday(dayStart: number): Promise<{ bytes: number; note?: string }> {
    try {
      return {
        bytes: await this.traffic.bytesOfTunnelsOpenSince(dayStart),
        note: 'bytes of tunnels open today (UTC), per tunnel lifetime; counters are flushed periodically',
      };
    } catch {
      return { bytes: 0, note: 'relay byte accounting is not available on this hub' };
    }
  }
}
