import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { PERMISSIONS } from '../permissions.js';

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, description: 'null once the account is gone' }) username: string | null;
  @ApiProperty({ type: String, nullable: true }) display_name: string | null;
}

/**
 * The one shape of a share in every answer (lists, create, patch, redeem, admin). `owner_user_id`,
 * `owner_display_name`, `grantee_user_id` and `grantee_display_name` repeat `owner` / `grantee` flat,
 * for clients of the PHP hub.
 */
export class ShareDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ type: String, nullable: true }) server_name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null = the whole server' }) library_id: string | null;
  @ApiProperty({ type: String, nullable: true }) library_name: string | null;
  @ApiProperty({ enum: ['server', 'library'] }) scope: 'server' | 'library';
  @ApiProperty({ enum: PERMISSIONS, description: 'view ⊂ play ⊂ download' }) permission: string;
  @ApiProperty({ enum: ['direct', 'invite'] }) source: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: 'active' | 'expired' | 'revoked';
  @ApiProperty({ type: () => PersonDto }) owner: PersonDto;
  @ApiProperty({ type: () => PersonDto }) grantee: PersonDto;
  @ApiProperty({ format: 'uuid', description: 'owner.id, flat' }) owner_user_id: string;
  @ApiProperty({ type: String, nullable: true, description: 'owner.display_name, flat' }) owner_display_name:
    string | null;
  @ApiProperty({ format: 'uuid', description: 'grantee.id, flat' }) grantee_user_id: string;
  @ApiProperty({ type: String, nullable: true, description: 'grantee.display_name, flat' }) grantee_display_name:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null = never' }) expires_at:
    string | null;
  @ApiProperty({ description: 'the grantee may open raw client channels (whole-server download shares only)' })
  allow_raw_channels: boolean;
  @ApiPropertyOptional({ description: "the server's tunnel is up" }) server_online?: boolean;
  @ApiPropertyOptional({ format: 'uri', description: 'where the grantee reaches the server through the hub' })
  relay_url?: string;
}

/** GET /api/v1/me/shares: live shares the caller gave and received. */
export class ShareListDto {
  @ApiProperty({ type: () => [ShareDto] }) outgoing: ShareDto[];
  @ApiProperty({ type: () => [ShareDto] }) incoming: ShareDto[];
}

/** POST /api/v1/me/invite-links: the token and URL are in this answer only. */
export class InviteCreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() token: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null = never' }) expires_at:
    string | null;
  @ApiProperty({ type: 'integer' }) max_uses: number;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ type: String, nullable: true }) library_id: string | null;
  @ApiProperty({ enum: PERMISSIONS }) permission: string;
}

/** An invite as its owner (or an admin) sees it: never the token. */
export class InviteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) owner_user_id: string;
  @ApiProperty({ type: () => PersonDto }) owner: PersonDto;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ type: String, nullable: true }) server_name: string | null;
  @ApiProperty({ type: String, nullable: true }) library_id: string | null;
  @ApiProperty({ type: String, nullable: true }) library_name: string | null;
  @ApiProperty({ enum: PERMISSIONS }) permission: string;
  @ApiProperty({ type: 'integer' }) max_uses: number;
  @ApiProperty({ type: 'integer' }) use_count: number;
  @ApiProperty({ enum: ['active', 'exhausted', 'expired', 'revoked'] }) status:
    'active' | 'exhausted' | 'expired' | 'revoked';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created_at: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'always null here: the link holds the token, which is not stored',
  })
  url: null;
}

/** GET /api/v1/me/invite-links */
export class InviteListDto {
  @ApiProperty({ type: () => [InviteDto] }) invite_links: InviteDto[];
}

/** GET /api/v1/invite-links/{token}: what the link offers (no ids, no secrets). */
export class InvitePreviewDto {
  @ApiProperty({ type: String, nullable: true }) server_name: string | null;
  @ApiProperty({ enum: ['server', 'library'] }) scope: string;
  @ApiProperty({ type: String, nullable: true }) library_name: string | null;
  @ApiProperty({ enum: PERMISSIONS }) permission: string;
  @ApiProperty({ type: String, nullable: true }) inviter_display_name: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at: string | null;
}

export class ServerGrantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
  @ApiProperty({ type: String, nullable: true }) display_name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null = the whole server' }) library_id: string | null;
  @ApiProperty({ type: String, nullable: true }) library_name: string | null;
  @ApiProperty({ enum: PERMISSIONS }) permission: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at: string | null;
}

/** GET /api/v1/servers/{id}/shares: the grants a media server enforces itself. */
export class ServerGrantsDto {
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) generated_at: string | null;
  @ApiProperty({ type: () => PersonDto }) owner: PersonDto;
  @ApiProperty({ type: () => [ServerGrantDto] }) shares: ServerGrantDto[];
}

export class SharePageDto {
  @ApiProperty({ type: () => [ShareDto] }) items: ShareDto[];
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) per_page: number;
  @ApiProperty({ type: 'integer' }) total: number;
}

export class InvitePageDto {
  @ApiProperty({ type: () => [InviteDto] }) items: InviteDto[];
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) per_page: number;
  @ApiProperty({ type: 'integer' }) total: number;
}
