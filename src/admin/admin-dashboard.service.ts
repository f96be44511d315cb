import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { RelayPresence } from '../common/relay-presence.js';
import { AuditQueryService } from '../audit/audit-query.service.js';

type Row = Record<string, string | number | null>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Live counters for the admin dashboard, read straight from the tables (no cache: admins only). */
@Injectable()
export class AdminDashboardService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly presence: RelayPresence,
    private readonly audit: AuditQueryService,
  ) {}

  async summary() {
    const now = this.clock.now();
    const d = new Date(now);
    const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const [users, servers, relayBytes, recent] = await Promise.all([this.users(), this.servers(), this.relayBytesToday(dayStart), this.audit.recent(10)]);
    return {
      generated_at: new Date(now).toISOString(),
      users,
      servers,
      relay: {
        active_tunnels: this.presence.activeTunnels(),
        active_streams: this.presence.activeStreams(),
        bytes_today: relayBytes.bytes,
        bytes_today_since: new Date(dayStart).toISOString(),
        ...(relayBytes.note ? { note: relayBytes.note } : {}),
      },
      recent_activity: recent,
    };
  }

  private async users() {
    const r: Row[] = await this.ds.query(
      'SELECT COUNT(*) AS total, SUM(CASE WHEN is_admin = 1 THEN 1 ELSE 0 END) AS admins, SUM(CASE WHEN disabled = 1 THEN 1 ELSE 0 END) AS disabled FROM users',
    );
    return { total: num(r[0]?.total), admins: num(r[0]?.admins), disabled: num(r[0]?.disabled) };
  }

  /** Claimed servers (owner set) by status; "online" is what the servers module last wrote. */
  private async servers() {
    const rows: Row[] = await this.ds.query('SELECT status, COUNT(*) AS n FROM servers WHERE owner_id IS NOT NULL GROUP BY status');
    const by: Record<string, number> = {};
    for (const r of rows) by[String(r.status)] = num(r.n);
    const total = Object.values(by).reduce((a, b) => a + b, 0);
    return { total, online: by.online ?? 0, offline: by.offline ?? 0, claiming: by.claiming ?? 0, disabled: by.disabled ?? 0 };
  }

  /**
   * Bytes through tunnels that were open at some point today (UTC). relay_sessions keeps one
   * cumulative counter per tunnel lifetime, so a tunnel opened before midnight also counts its
   * earlier bytes: an upper bound, flushed by the relay periodically.
   */
  private async relayBytesToday(dayStart: number): Promise<{ bytes: number; note?: string }> {
    try {
      const r: Row[] = await this.ds.query(
        'SELECT SUM(bytes_in) AS bin, SUM(bytes_out) AS bout FROM relay_sessions WHERE closed_at IS NULL OR closed_at >= ?',
        [dayStart],
      );
      return { bytes: num(r[0]?.bin) + num(r[0]?.bout), note: 'bytes of tunnels open today (UTC), per tunnel lifetime; counters are flushed periodically' };
    } catch {
      return { bytes: 0, note: 'relay byte accounting is not available on this hub' };
    }
  }
}
