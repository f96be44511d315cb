import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/** Opaque refresh tokens, stored as SHA-256. Rotated on use; reuse revokes the family. */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'token_hash', length: 64 }) tokenHash: string;
  @Column('varchar', { name: 'family_id', length: 36 }) familyId: string;
  @Column('varchar', { name: 'user_id', length: 36 }) userId: string;
  @Column('bigint', { name: 'expires_at', transformer: bigintNumber }) expiresAt: number;
  @Column('bigint', { name: 'used_at', nullable: true, transformer: bigintNumber }) usedAt: number | null;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: bigintNumber }) revokedAt: number | null;
  /** the token that replaced this one, sealed with a key derived from THIS token's secret (successor-box.ts) */
  @Column('varchar', { name: 'successor_box', length: 255, nullable: true }) successorBox: string | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
}
