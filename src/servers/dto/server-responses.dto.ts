import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const SERVER_STATUSES = ['claiming', 'online', 'offline', 'disabled'] as const;

/** The shared ServerInfoDto: always exactly these 10 camelCase keys, nulls included (docs/protocol/wire.md). */
export class ServerInfoDto {
  @ApiProperty({ format: 'uuid' }) serverId: string;
  @ApiProperty({ description: "owner's user id (empty once released)" }) userId: string;
  @ApiProperty() serverName: string;
  @ApiProperty() version: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'UNIX seconds' }) lastSeenAt: number | null;
  @ApiProperty({ enum: SERVER_STATUSES }) status: string;
  @ApiProperty({ type: [String] }) hostnameCandidates: string[];
  @ApiProperty() relayActive: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) libraryCount: number | null;
  @ApiProperty({ type: String, nullable: true }) subdomain: string | null;
}

/** GET /api/v1/me/servers */
export class ServerListDto {
  @ApiProperty({ type: () => [ServerInfoDto] }) servers: ServerInfoDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', format: 'uri' },
    description: 'server id → where clients reach it through the hub',
  })
  relay_urls: Record<string, string>;
}

/** The snake_case server block of the detail page. */
export class ServerDetailViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() server_name: string;
  @ApiProperty() version: string;
  @ApiProperty({ enum: SERVER_STATUSES }) status: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'UNIX seconds' }) last_seen_at: number | null;
  @ApiProperty({ type: [String] }) hostname_candidates: string[];
  @ApiProperty() relay_active: boolean;
  @ApiProperty({ type: String, nullable: true }) subdomain: string | null;
  @ApiProperty({ type: String, nullable: true }) fqdn: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'UNIX seconds' }) enrolled_at: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) library_count: number | null;
  @ApiProperty({ type: [String] }) capabilities: string[];
  @ApiPropertyOptional({ format: 'uri', description: 'where clients reach this server through the hub' })
  relay_url?: string;
}

/** The open tunnel of a server. */
export class RelaySessionViewDto {
  @ApiProperty() id: string;
  @ApiProperty() worker_node: string;
  @ApiProperty({ format: 'date-time' }) opened_at: string;
  @ApiProperty({ type: 'integer' }) bytes_in: number;
  @ApiProperty({ type: 'integer' }) bytes_out: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'UNIX seconds' }) last_frame_at: number | null;
}

export class HeartbeatHistoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: string;
  @ApiProperty({ type: 'integer' }) uptime_seconds: number;
  @ApiProperty({ type: 'integer' }) active_sessions: number;
  @ApiProperty({ type: 'integer' }) active_transcodes: number;
  @ApiProperty({ type: [String] }) hostname_candidates: string[];
  @ApiProperty({ type: 'integer', description: 'UNIX seconds' }) received_at: number;
  @ApiProperty({ type: 'integer', nullable: true, description: "UNIX seconds, the server's own timestamp" }) sent_at:
    number | null;
}

export class ServerLibraryDto {
  @ApiProperty({ description: "the server's library id" }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'generic origins: the path prefix this library is',
  })
  path_prefix?: string | null;
}

/** GET /api/v1/me/servers/{id} */
export class ServerDetailDto {
  @ApiProperty({ type: () => ServerDetailViewDto }) server: ServerDetailViewDto;
  @ApiProperty({ type: () => ServerInfoDto }) info: ServerInfoDto;
  @ApiProperty({ type: () => RelaySessionViewDto, nullable: true }) relay_session: RelaySessionViewDto | null;
  @ApiProperty({ type: () => [HeartbeatHistoryDto], description: 'newest first' })
  heartbeat_history: HeartbeatHistoryDto[];
  @ApiProperty({ type: () => [ServerLibraryDto] }) libraries: ServerLibraryDto[];
}

export class OwnedLibraryDto extends ServerLibraryDto {
  @ApiProperty({ type: String, nullable: true }) server_name: string | null;
}

/** GET /api/v1/me/libraries */
export class OwnedLibraryListDto {
  @ApiProperty({ type: () => [OwnedLibraryDto] }) libraries: OwnedLibraryDto[];
}

/** POST /api/v1/servers/{id}/heartbeat */
export class HeartbeatAckDto {
  @ApiProperty({ enum: ['ok'] }) status: string;
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ type: 'integer', description: 'UNIX seconds' }) received_at: number;
  @ApiProperty({ type: 'integer', description: 'seconds until the next heartbeat is expected' })
  next_heartbeat_in: number;
  @ApiProperty() libraries_changed: boolean;
}

/** Unclaim / release / deregister: the hub association ended. */
export class ServerReleasedDto {
  @ApiProperty({ format: 'uuid' }) server_id: string;
  @ApiProperty({ format: 'uuid' }) previous_owner_id: string;
  @ApiProperty({ enum: [true] }) released: true;
}

export class ServerOwnerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() display_name: string;
}

/**
 * GET /api/v1/servers/{id}/info: the ServerInfoDto's camelCase keys, then snake_case twins of some
 * of them (server_id, server_name, relay_active, last_seen_at, library_count) for older servers,
 * then what only this route tells.
 */
export class ServerSelfInfoDto extends ServerInfoDto {
  @ApiProperty({ format: 'uuid', description: 'twin of serverId' }) server_id: string;
  @ApiProperty({ description: 'twin of serverName' }) server_name: string;
  @ApiProperty({ type: () => ServerOwnerDto, nullable: true }) owner: ServerOwnerDto | null;
  @ApiProperty({ type: String, nullable: true }) fqdn: string | null;
  @ApiProperty({ description: 'twin of relayActive' }) relay_active: boolean;
  @ApiProperty({ format: 'uri', description: 'where clients reach this server through the hub' }) relay_url: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'UNIX seconds' }) enrolled_at: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'UNIX seconds' }) enrollment_expires_at: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'twin of lastSeenAt' }) last_seen_at: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'twin of libraryCount' }) library_count: number | null;
  @ApiProperty({ type: 'integer', description: 'seconds between heartbeats' }) heartbeat_interval: number;
  @ApiProperty({ type: 'integer' }) offline_after_seconds: number;
  @ApiProperty({ format: 'uri' }) hub_base_url: string;
  @ApiProperty({ format: 'uri' }) hub_jwks_url: string;
}

export interface ServerSelfFacts {
  owner: ServerOwnerDto | null;
  fqdn: string | null;
  relayUrl: string;
  enrolledAt: number | null;
  enrollmentExpiresAt: number | null;
  heartbeatInterval: number;
  offlineAfterSeconds: number;
  hubBaseUrl: string;
  hubJwksUrl: string;
}

/** The one place the self-info twins are spelled (key order is part of the wire shape). */
export function serverSelfInfo(info: ServerInfoDto, f: ServerSelfFacts): ServerSelfInfoDto {
  return {
    ...info,
    server_id: info.serverId,
    server_name: info.serverName,
    status: info.status,
    owner: f.owner,
    subdomain: info.subdomain,
    fqdn: f.fqdn,
    relay_active: info.relayActive,
    relay_url: f.relayUrl,
    enrolled_at: f.enrolledAt,
    enrollment_expires_at: f.enrollmentExpiresAt,
    last_seen_at: info.lastSeenAt,
    library_count: info.libraryCount,
    heartbeat_interval: f.heartbeatInterval,
    offline_after_seconds: f.offlineAfterSeconds,
    hub_base_url: f.hubBaseUrl,
    hub_jwks_url: f.hubJwksUrl,
  };
}

/** A server as operators see it (GET /api/v1/admin/servers). */
export class AdminServerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() version: string;
  @ApiProperty({ enum: [...SERVER_STATUSES, 'released'] }) status: string;
  @ApiProperty({ type: () => ServerOwnerDto, nullable: true }) owner: ServerOwnerDto | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) owner_id: string | null;
  @ApiProperty({ type: [String] }) hostname_candidates: string[];
  @ApiProperty() relay_active: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) library_count: number | null;
  @ApiProperty({ type: String, nullable: true }) subdomain: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_seen_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) enrolled_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) enrollment_expires_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) released_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created_at: string | null;
}

export class AdminServerPageDto {
  @ApiProperty({ type: () => [AdminServerDto] }) items: AdminServerDto[];
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) per_page: number;
  @ApiProperty({ type: 'integer' }) total: number;
}
