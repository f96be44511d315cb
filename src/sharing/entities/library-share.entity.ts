import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';
import type { Permission } from '../permissions.js';

export type ShareSource = 'direct' | 'invite';

/**
 * A grant from a server's owner to another user of this hub: one library of the server
 * (the server's own opaque library id) or the whole server (library_id null).
 * Soft-ended: revoked_at set and active_key cleared. Expiry is computed against the Clock.
 */
@Entity('library_shares')
export class LibraryShare {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'owner_id', length: 36 }) ownerId: string;
  @Column('varchar', { name: 'grantee_id', length: 36 }) granteeId: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  /** null = the whole server */
  @Column('varchar', { name: 'library_id', length: 191, nullable: true }) libraryId: string | null;
  /** library name when the share was made (fallback when the server stops reporting the library) */
  @Column('varchar', { name: 'library_name', length: 255, nullable: true }) libraryName: string | null;
  @Column('varchar', { length: 16 }) permission: Permission;
  @Column('varchar', { length: 16 }) source: ShareSource;
  @Column('varchar', { name: 'invite_id', length: 36, nullable: true }) inviteId: string | null;
  /** scopeKey(server, grantee, library) while the share is live; null once ended (unique index) */
  @Column('varchar', { name: 'active_key', length: 64, nullable: true }) activeKey: string | null;
  @Column('bigint', { name: 'expires_at', nullable: true, transformer: bigintNumber }) expiresAt: number | null;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: bigintNumber }) revokedAt: number | null;
  /** owner_revoked | admin_revoked | server_released | expired_replaced */
  /** the owner let this grantee open raw client channels (whole-server download shares only) */
  @Column('boolean', { name: 'allow_raw_channels', default: false }) allowRawChannels: boolean;
  @Column('varchar', { name: 'revoke_reason', length: 32, nullable: true }) revokeReason: string | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
}
