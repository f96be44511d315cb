import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

export type ServerStatus = 'claiming' | 'online' | 'offline' | 'disabled';

/**
 * A media server known to this hub, as one account sees it: at most one row per (key, owner).
 * A public key is not secret, so a key that never proved possession of its private key may have
 * rows in several accounts (each bound through its own claim code); a released row is reused by
 * the next claim of its key, so a server keeps its id across release and re-claim. owner_id is
 * null once released/unclaimed.
 */
@Entity('servers')
export class Server {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'owner_id', length: 36, nullable: true }) ownerId: string | null;
  @Column('varchar', { length: 255 }) name: string;
  @Column('varchar', { length: 64 }) version: string;
  /** the server's Ed25519 public key(s) as a JWKS JSON document */
  @Column('text', { name: 'public_key_jwk' }) publicKeyJwk: string;
  /** RFC 7638 SHA-256 thumbprint (hex) of the server's Ed25519 key */
  @Column('varchar', { name: 'key_thumbprint', length: 64 }) keyThumbprint: string;
  /** JSON array of strings */
  @Column('text', { name: 'hostname_candidates' }) hostnameCandidates: string;
  /** JSON array of strings (heartbeat `capabilities`), null until reported */
  @Column('text', { nullable: true }) capabilities: string | null;
  @Column('varchar', { length: 16 }) status: ServerStatus;
  @Column('bigint', { name: 'last_seen_at', nullable: true, transformer: bigintNumber }) lastSeenAt: number | null;
  @Column('bigint', { name: 'enrolled_at', nullable: true, transformer: bigintNumber }) enrolledAt: number | null;
  /** jti of the one enrollment JWT currently valid; null = revoked (or not yet delivered) */
  @Column('varchar', { name: 'enrollment_jti', length: 36, nullable: true }) enrollmentJti: string | null;
  @Column('bigint', { name: 'enrollment_expires_at', nullable: true, transformer: bigintNumber }) enrollmentExpiresAt:
    number | null;
  @Column('varchar', { length: 63, nullable: true }) subdomain: string | null;
  /** SHA-256 of the sorted library list last stored (libraries are upserted only when it changes) */
  @Column('varchar', { name: 'library_hash', length: 64, nullable: true }) libraryHash: string | null;
  @Column('int', { name: 'library_count', nullable: true }) libraryCount: number | null;
  @Column('bigint', { name: 'released_at', nullable: true, transformer: bigintNumber }) releasedAt: number | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
}
