import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * A server key that has proven possession of its private key on claims/new. From then on,
 * pairing that key without a proof is refused (anyone can copy a public key; nobody else can sign).
 */
@Entity('server_key_proofs')
export class ServerKeyProof {
  @PrimaryColumn('varchar', { name: 'key_thumbprint', length: 64 }) keyThumbprint: string;
  @Column('bigint', { name: 'first_proven_at', transformer: bigintNumber }) firstProvenAt: number;
}
