import type { Server } from './entities/server.entity.js';
import type { ServerHeartbeat } from './entities/server-heartbeat.entity.js';
import { parseJsonList } from './wire/payload.js';

export const unixOrNull = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : Math.floor(ms / 1000));
export const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** The shared ServerInfoDto: always exactly these 10 camelCase keys, nulls included (wire-protocol.md §4). */
export interface ServerInfoDto {
  serverId: string;
  userId: string;
  serverName: string;
  version: string;
  lastSeenAt: number | null;
  status: string;
  hostnameCandidates: string[];
  relayActive: boolean;
  libraryCount: number | null;
  subdomain: string | null;
}

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
export function serverDetailView(s: Server, relayActive: boolean, fqdn: string | null) {
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

export function heartbeatView(h: ServerHeartbeat) {
  return {
    id: h.id,
    version: h.version,
    uptime_seconds: h.uptimeSeconds,
    active_sessions: h.activeSessions,
    active_transcodes: h.activeTranscodes,
    hostname_candidates: parseJsonList(h.hostnameCandidates),
    received_at: unixOrNull(h.receivedAt),
    sent_at: unixOrNull(h.sentAt),
  };
}
