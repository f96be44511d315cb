import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/** Headless claim token (PLEX_CLAIM habit): short-lived, single-use, stored as SHA-256 hex. */
@Entity('claim_tokens')
export class ClaimToken {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'user_id', length: 36 }) userId: string;
  @Column('varchar', { name: 'token_hash', length: 64 }) tokenHash: string;
  @Column('bigint', { name: 'expires_at', transformer: bigintNumber }) expiresAt: number;
  @Column('bigint', { name: 'used_at', nullable: true, transformer: bigintNumber }) usedAt: number | null;
  @Column('varchar', { name: 'server_id', length: 36, nullable: true }) serverId: string | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
}
