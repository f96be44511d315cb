import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/** Bounded heartbeat history (last 100 per server, 7 days at most). */
@Entity('server_heartbeats')
export class ServerHeartbeat {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  @Column('varchar', { length: 64 }) version: string;
  @Column('bigint', { name: 'uptime_seconds', transformer: bigintNumber }) uptimeSeconds: number;
  @Column('int', { name: 'active_sessions' }) activeSessions: number;
  @Column('int', { name: 'active_transcodes' }) activeTranscodes: number;
  @Column('text', { name: 'hostname_candidates' }) hostnameCandidates: string;
  /** hub clock (ms) */
  @Column('bigint', { name: 'received_at', transformer: bigintNumber }) receivedAt: number;
  /** server clock from the payload `timestamp` (ms), for clock-skew detection */
  @Column('bigint', { name: 'sent_at', nullable: true, transformer: bigintNumber }) sentAt: number | null;
}
