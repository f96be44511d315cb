import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * One open relay stream (proxied request or raw client channel), so stream caps hold across
 * every hub process. The owning process refreshes `seen_at`; rows of a process that died stop
 * counting once stale and are swept.
 */
@Entity('relay_stream_leases')
export class RelayStreamLease {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'user_id', length: 36 }) userId: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  /** 'http' | 'channel' */
  @Column('varchar', { length: 16 }) kind: string;
  /** process instance that holds the stream */
  @Column('varchar', { length: 160 }) node: string;
  @Column('bigint', { name: 'started_at', transformer: bigintNumber }) startedAt: number;
  @Column('bigint', { name: 'seen_at', transformer: bigintNumber }) seenAt: number;
}
