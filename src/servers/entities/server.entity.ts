import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

export type ServerStatus = 'claiming' | 'online' | 'offline' | 'disabled';

/** A media server claimed to a user of this hub. owner_id is null once released/unclaimed. */
@Entity('servers')
export class Server {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'owner_id', length: 36, nullable: true }) ownerId: string | null;
  @Column('varchar', { length: 128 }) name: string;
  @Column('varchar', { length: 32 }) version: string;
  /** the server's Ed25519 public key(s) as JSON (JWK or JWKS) */
  @Column('text', { name: 'public_key_jwk' }) publicKeyJwk: string;
  /** SHA-256 thumbprint of the server's Ed25519 key: "the same key" means the same server */
  @Column('varchar', { name: 'key_thumbprint', length: 64 }) keyThumbprint: string;
  /** JSON array of strings */
  @Column('text', { name: 'hostname_candidates' }) hostnameCandidates: string;
  @Column('varchar', { length: 16 }) status: ServerStatus;
  @Column('bigint', { name: 'last_seen_at', nullable: true, transformer: bigintNumber }) lastSeenAt: number | null;
  @Column('bigint', { name: 'enrolled_at', nullable: true, transformer: bigintNumber }) enrolledAt: number | null;
  /** jti of the one enrollment JWT currently valid; null = revoked */
  @Column('varchar', { name: 'enrollment_jti', length: 36, nullable: true }) enrollmentJti: string | null;
  @Column('varchar', { length: 63, nullable: true }) subdomain: string | null;
  /** SHA-256 of the sorted library list last stored (libraries are upserted only when it changes) */
  @Column('varchar', { name: 'library_hash', length: 64, nullable: true }) libraryHash: string | null;
  @Column('int', { name: 'library_count', nullable: true }) libraryCount: number | null;
  @Column('bigint', { name: 'released_at', nullable: true, transformer: bigintNumber }) releasedAt: number | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
}
