import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * A browser's way into a server's own origin: a one-time entry token (hub → server origin redirect)
 * that becomes a host-only session cookie on that origin. Both secrets are stored as SHA-256 hex.
 */
@Entity('relay_origin_sessions')
export class OriginSession {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'user_id', length: 36 }) userId: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  @Column('varchar', { name: 'entry_hash', length: 64 }) entryHash: string;
  @Column('bigint', { name: 'entry_expires_at', transformer: bigintNumber }) entryExpiresAt: number;
  @Column('bigint', { name: 'entered_at', nullable: true, transformer: bigintNumber }) enteredAt: number | null;
  @Column('varchar', { name: 'session_hash', length: 64, nullable: true }) sessionHash: string | null;
  @Column('bigint', { name: 'expires_at', transformer: bigintNumber }) expiresAt: number;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
}
