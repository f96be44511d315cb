import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/** A link for native players: one server, one path prefix, for its holder's access; the secret is stored as SHA-256 hex. */
@Entity('relay_media_links')
export class MediaLink {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'token_hash', length: 64 }) tokenHash: string;
  @Column('varchar', { name: 'user_id', length: 36 }) userId: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  /** decoded, normalised path prefix (path-normalize.ts) */
  @Column('varchar', { name: 'path_prefix', length: 2048 }) pathPrefix: string;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'expires_at', transformer: bigintNumber }) expiresAt: number;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: bigintNumber }) revokedAt: number | null;
}
