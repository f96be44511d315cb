import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * Relayed bytes per (UTC calendar month, user, server). bytes_in = downloaded by the user
 * (server → client), bytes_out = uploaded (client → server): streamed body bytes of proxied
 * requests and raw channel bytes, metered as they pass and flushed every few seconds.
 */
@Entity('relay_usage')
export class RelayUsage {
  /** 'YYYY-MM' (UTC) */
  @PrimaryColumn('varchar', { length: 7 }) period: string;
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 }) userId: string;
  @PrimaryColumn('varchar', { name: 'server_id', length: 36 }) serverId: string;
  @Column('bigint', { name: 'bytes_in', default: 0, transformer: bigintNumber }) bytesIn: number;
  @Column('bigint', { name: 'bytes_out', default: 0, transformer: bigintNumber }) bytesOut: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
}
