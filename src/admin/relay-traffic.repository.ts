import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RelayTraffic } from '../common/ports/relay-traffic.port.js';

/**
 * The dashboard's sum over `relay_sessions`. Bound by AdminOpsModule behind the RelayTraffic port;
 * it moves to the relay feature when that one provides the port itself.
 */
@Injectable()
export class RelayTrafficRepository extends RelayTraffic {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async bytesOfTunnelsOpenSince(since: number): Promise<number> {
    const r: { bin: number | string | null; bout: number | string | null }[] = await this.ds.query(
      'SELECT SUM(bytes_in) AS bin, SUM(bytes_out) AS bout FROM relay_sessions WHERE closed_at IS NULL OR closed_at >= ?',
      [since],
    );
    return Number(r[0]?.bin ?? 0) + Number(r[0]?.bout ?? 0);
  }
}
