import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * Durable per-user relay limits set by an admin (not tied to a billing period, so nothing
 * reverts at a month boundary). NULL = the hub default from the environment; 0 = unlimited.
 */
@Entity('relay_user_limits')
export class RelayUserLimits {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 }) userId: string;
  /** monthly bytes the user may download through the relay (server → client) */
  @Column('bigint', { name: 'quota_bytes_in', nullable: true, transformer: bigintNumber }) quotaBytesIn: number | null;
  /** monthly bytes the user may upload through the relay (client → server) */
  @Column('bigint', { name: 'quota_bytes_out', nullable: true, transformer: bigintNumber }) quotaBytesOut:
    number | null;
  @Column('int', { name: 'max_streams', nullable: true }) maxStreams: number | null;
  /** bits per second shared by all of the user's streams */
  @Column('bigint', { name: 'throttle_bps', nullable: true, transformer: bigintNumber }) throttleBps: number | null;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
  @Column('varchar', { name: 'updated_by', length: 36, nullable: true }) updatedBy: string | null;
}
