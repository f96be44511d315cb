import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';
import type { Permission } from '../permissions.js';

/** A bearer invite: whoever redeems it (signed in) receives a share. Only the SHA-256 of the token is stored. */
@Entity('invite_links')
export class InviteLink {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'owner_id', length: 36 }) ownerId: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  /** null = the whole server */
  @Column('varchar', { name: 'library_id', length: 191, nullable: true }) libraryId: string | null;
  @Column('varchar', { name: 'library_name', length: 255, nullable: true }) libraryName: string | null;
  @Column('varchar', { length: 16 }) permission: Permission;
  @Column('varchar', { name: 'token_hash', length: 64 }) tokenHash: string;
  @Column('int', { name: 'max_uses' }) maxUses: number;
  @Column('int', { name: 'use_count', default: 0 }) useCount: number;
  /** null = never */
  @Column('bigint', { name: 'expires_at', nullable: true, transformer: bigintNumber }) expiresAt: number | null;
  @Column('bigint', { name: 'revoked_at', nullable: true, transformer: bigintNumber }) revokedAt: number | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
}
