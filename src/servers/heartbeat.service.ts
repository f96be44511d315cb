import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { HubEvents } from '../common/hub-events.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import type { AuthServer } from '../common/auth.decorators.js';
import { ServersRepository, type HeartbeatFacts } from './servers.repository.js';
import { HeartbeatsRepository } from './heartbeats.repository.js';
import { LibrariesRepository } from './libraries.repository.js';
import { HeartbeatInput, LibraryRef, libraryHash } from './wire/heartbeat.js';
import { retryOnLockConflict } from './db-retry.js';

export const HEARTBEAT_LIMIT = 30;
export const HEARTBEAT_WINDOW_SECONDS = 60;
export const HEARTBEAT_INTERVAL_SECONDS = 60;
/** heartbeat rows kept per server */
export const HEARTBEAT_HISTORY = 100;

/** POST /api/v1/servers/{id}/heartbeat: presence, version, candidates, library cache, bounded history. */
@Injectable()
export class HeartbeatService {
  constructor(
    private readonly servers: ServersRepository,
    private readonly heartbeats: HeartbeatsRepository,
    private readonly libraries: LibrariesRepository,
    private readonly rate: RateLimitService,
    private readonly clock: Clock,
    private readonly events: HubEvents,
  ) {}

  /** Count against the per-server limit (after the enrollment JWT was verified). */
  async limit(serverId: string): Promise<void> {
    await this.rate.consume(`heartbeat:${serverId}`, HEARTBEAT_LIMIT, HEARTBEAT_WINDOW_SECONDS, 'rate.limited');
  }

  async record(auth: AuthServer, hb: HeartbeatInput) {
    const serverId = auth.serverId;
    if (hb.serverId !== undefined && hb.serverId.toLowerCase() !== serverId) {
      throw new HubError('auth.server_mismatch', 'The heartbeat names another server');
    }
    const now = this.clock.now();
    const set: HeartbeatFacts = { lastSeenAt: now, version: hb.version, updatedAt: now };
    if (hb.hostnameCandidates !== undefined) set.hostnameCandidates = JSON.stringify(hb.hostnameCandidates);
    if (hb.capabilities !== undefined) set.capabilities = JSON.stringify(hb.capabilities);
    // Only the current enrollment may write; a disabled server stays disabled (but is "seen").
    const seen = await retryOnLockConflict(() => this.servers.recordSeen(serverId, auth.jti, set));
    if (!seen) throw new HubError('auth.invalid_token', 'The enrollment token is invalid or was revoked');

    const candidates = hb.hostnameCandidates ?? [];
    await this.heartbeats.insert({
      id: randomUUID(),
      serverId,
      version: hb.version,
      uptimeSeconds: hb.uptimeSeconds,
      activeSessions: hb.activeSessions,
      activeTranscodes: hb.activeTranscodes,
      hostnameCandidates: JSON.stringify(candidates),
      receivedAt: now,
      sentAt: hb.timestamp !== undefined ? hb.timestamp * 1000 : null,
    });
    await this.heartbeats.keepNewest(serverId, HEARTBEAT_HISTORY);
    let librariesChanged = false;
    if (hb.libraries !== undefined) librariesChanged = await this.syncLibraries(serverId, hb.libraries, now);
    await this.events.emit('server.heartbeat', { serverId });
    return {
      status: 'ok',
      server_id: serverId,
      received_at: Math.floor(now / 1000),
      next_heartbeat_in: HEARTBEAT_INTERVAL_SECONDS,
      libraries_changed: librariesChanged,
    };
  }

  /**
   * Rewrite the library cache only when the sorted-list hash changed. The hash is swapped with a
   * conditional UPDATE, so of two concurrent heartbeats with the same new list only one rewrites.
   */
  private async syncLibraries(serverId: string, libs: LibraryRef[], now: number): Promise<boolean> {
    const hash = libraryHash(libs);
    if (!(await this.servers.swapLibraryHash(serverId, hash, libs.length))) return false;
    await this.libraries.replace(serverId, libs, now);
    return true;
  }
}
