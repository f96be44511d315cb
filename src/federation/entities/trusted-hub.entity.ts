import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * A peer hub this hub's operator trusts explicitly (manual account linking, no automatic peering).
 * Its identity tokens are verified against `jwks` (Ed25519 public keys only). A blocked peer's
 * tokens are refused and its linked (shadow) users are stopped on their next request.
 */
@Entity('trusted_hubs')
export class TrustedHub {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  /** the peer's HUB_ID (the `iss` of its tokens), unique */
  @Column('varchar', { name: 'hub_id', length: 128 }) hubId: string;
  @Column('varchar', { length: 200 }) name: string;
  @Column('varchar', { length: 2048 }) url: string;
  /** normalised JWKS JSON: { keys: [{ kty:'OKP', crv:'Ed25519', x, kid, alg:'EdDSA', use:'sig' }] } */
  @Column('text') jwks: string;
  @Column('boolean', { default: false }) blocked: boolean;
  @Column('bigint', { name: 'blocked_at', nullable: true, transformer: bigintNumber }) blockedAt: number | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
}
