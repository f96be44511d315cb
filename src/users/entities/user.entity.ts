import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';
import type { UserDto } from '../dto/user-responses.dto.js';

@Entity('users')
export class User {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { length: 50 }) username: string;
  /** lower-cased username, unique (case-insensitive identity on every database) */
  @Column('varchar', { name: 'username_lower', length: 50 }) usernameLower: string;
  /** lower-cased; null for linked (shadow) accounts */
  @Column('varchar', { length: 254, nullable: true }) email: string | null;
  @Column('varchar', { name: 'password_hash', length: 255, nullable: true }) passwordHash: string | null;
  @Column('varchar', { name: 'display_name', length: 100 }) displayName: string;
  @Column('boolean', { name: 'is_admin', default: false }) isAdmin: boolean;
  @Column('boolean', { default: false }) disabled: boolean;
  @Column('varchar', { length: 32, nullable: true }) region: string | null;
  /** set for shadow accounts created by manual account linking: the peer hub's id */
  @Column('varchar', { name: 'linked_hub_id', length: 128, nullable: true }) linkedHubId: string | null;
  @Column('varchar', { name: 'remote_user_id', length: 191, nullable: true }) remoteUserId: string | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;

  get isShadow(): boolean {
    return this.linkedHubId !== null && this.linkedHubId !== undefined;
  }
}

/** The public shape of a user in API answers (never the hash). */
export function userView(u: User): UserDto {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    display_name: u.displayName,
    is_admin: !!u.isAdmin,
    disabled: !!u.disabled,
    region: u.region,
    linked_hub_id: u.linkedHubId,
    created_at: new Date(u.createdAt).toISOString(),
  };
}
