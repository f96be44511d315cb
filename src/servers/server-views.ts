import type { Server } from './entities/server.entity.js';
import type { ServerHeartbeat } from './entities/server-heartbeat.entity.js';
import { parseJsonList } from './wire/payload.js';
import { ServerInfoDto } from './dto/server-responses.dto.js';
import type { HeartbeatHistoryDto, ServerDetailViewDto } from './dto/server-responses.dto.js';

export const unixOrNull = (ms: number | null | undefined): number | null =>
  ms === null || ms === undefined ? null : Math.floor(ms / 1000);
export const isoOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** The shared ServerInfoDto: always exactly these 10 camelCase keys, nulls included (docs/protocol/wire.md). */
export { ServerInfoDto };

export function serverInfoDto(s: Server, relayActive: boolean): ServerInfoDto {
  return {
    serverId: s.id,
    userId: s.ownerId ?? '',
    serverName: s.name,
    version: s.version,
    lastSeenAt: unixOrNull(s.lastSeenAt),
    status: s.status,
    hostnameCandidates: parseJsonList(s.hostnameCandidates),
    relayActive: !!relayActive,
    libraryCount: s.libraryCount ?? null,
    subdomain: s.subdomain ?? null,
  };
}

/** snake_case server block of the detail page (docs/hub/server-detail.md). */
export function serverDetailView(s: Server, relayActive: boolean, fqdn: string | null): ServerDetailViewDto {
  return {
    id: s.id,
    server_name: s.name,
    version: s.version,
    status: s.status,
    last_seen_at: unixOrNull(s.lastSeenAt),
    hostname_candidates: parseJsonList(s.hostnameCandidates),
    relay_active: !!relayActive,
    subdomain: s.subdomain ?? null,
    fqdn,
    enrolled_at: unixOrNull(s.enrolledAt),
    library_count: s.libraryCount ?? null,
    capabilities: parseJsonList(s.capabilities),
  };
}

export function heartbeatView(h: ServerHeartbeat): HeartbeatHistoryDto {
  return {
    id: h.id,
    version: h.version,
    uptime_seconds: h.uptimeSeconds,
    active_sessions: h.activeSessions,
    active_transcodes: h.activeTranscodes,
    hostname_candidates: parseJsonList(h.hostnameCandidates),
    received_at: Math.floor(h.receivedAt / 1000),
    sent_at: unixOrNull(h.sentAt),
  };
}
