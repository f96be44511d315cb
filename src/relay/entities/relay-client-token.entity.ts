import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/** Client relay token (opaque, 256-bit, stored as SHA-256 hex) scoped to (user, server). */
@Entity('relay_client_tokens')
export class RelayClientToken {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'token_hash', length: 64 }) tokenHash: string;
  @Column('varchar', { name: 'user_id', length: 36 }) userId: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'expires_at', transformer: bigintNumber }) expiresAt: number;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: bigintNumber }) revokedAt: number | null;
  @Column('bigint', { name: 'last_used_at', nullable: true, transformer: bigintNumber }) lastUsedAt: number | null;
}
