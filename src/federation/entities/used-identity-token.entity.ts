import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * Identity-token ids (jti) already redeemed here, so each token links at most once.
 * id = SHA-256 hex of "<issuer hub id>\n<jti>"; rows are pruned once the token could no longer verify.
 */
@Entity('federation_used_jtis')
export class UsedIdentityToken {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { name: 'hub_id', length: 128 }) hubId: string;
  /** keep until this epoch-ms (token expiry + clock tolerance) */
  @Column('bigint', { name: 'expires_at', transformer: bigintNumber }) expiresAt: number;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
}
