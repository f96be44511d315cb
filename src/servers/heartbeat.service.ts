import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { DbDialect } from '../database/dialect.js';
import type { AuthServer } from '../common/auth.decorators.js';
import { Server } from './entities/server.entity.js';
import { ServerHeartbeat } from './entities/server-heartbeat.entity.js';
import { ServerLibrary } from './entities/server-library.entity.js';
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
    @InjectRepository(Server) private readonly servers: Repository<Server>,
    @InjectRepository(ServerHeartbeat) private readonly heartbeats: Repository<ServerHeartbeat>,
    @InjectRepository(ServerLibrary) private readonly libraries: Repository<ServerLibrary>,
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
    private readonly rate: RateLimitService,
    private readonly clock: Clock,
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
    const set: Partial<Server> = { lastSeenAt: now, version: hb.version, updatedAt: now };
    if (hb.hostnameCandidates !== undefined) set.hostnameCandidates = JSON.stringify(hb.hostnameCandidates);
    if (hb.capabilities !== undefined) set.capabilities = JSON.stringify(hb.capabilities);
    // Only the current enrollment may write; a disabled server stays disabled (but is "seen").
    const res = await retryOnLockConflict(() => this.servers.createQueryBuilder().update(Server)
      .set({ ...set, status: () => `CASE WHEN status = 'disabled' THEN 'disabled' ELSE 'online' END` })
      .where('id = :id AND enrollment_jti = :jti AND owner_id IS NOT NULL', { id: serverId, jti: auth.jti })
      .execute());
    if (!res.affected) throw new HubError('auth.invalid_token', 'The enrollment token is invalid or was revoked');

    const candidates = hb.hostnameCandidates ?? [];
    await this.heartbeats.insert({
      id: randomUUID(), serverId, version: hb.version, uptimeSeconds: hb.uptimeSeconds, activeSessions: hb.activeSessions,
      activeTranscodes: hb.activeTranscodes, hostnameCandidates: JSON.stringify(candidates), receivedAt: now,
      sentAt: hb.timestamp !== undefined ? hb.timestamp * 1000 : null,
    });
    await this.prune(serverId);
    let librariesChanged = false;
    if (hb.libraries !== undefined) librariesChanged = await this.syncLibraries(serverId, hb.libraries, now);
    return {
      status: 'ok',
      server_id: serverId,
      received_at: Math.floor(now / 1000),
      next_heartbeat_in: HEARTBEAT_INTERVAL_SECONDS,
      libraries_changed: librariesChanged,
    };
  }

  /** Keep the newest HEARTBEAT_HISTORY rows of this server. */
  private async prune(serverId: string): Promise<void> {
    const cut = await this.heartbeats.find({
      select: { receivedAt: true, id: true }, where: { serverId }, order: { receivedAt: 'DESC', id: 'DESC' }, skip: HEARTBEAT_HISTORY - 1, take: 1,
    });
    if (!cut.length) return;
    await this.heartbeats.createQueryBuilder().delete().from(ServerHeartbeat)
      .where('server_id = :s AND received_at < :t', { s: serverId, t: cut[0].receivedAt }).execute();
  }

  /**
   * Rewrite the library cache only when the sorted-list hash changed. The hash is swapped with a
   * conditional UPDATE, so of two concurrent heartbeats with the same new list only one rewrites.
   */
  private async syncLibraries(serverId: string, libs: LibraryRef[], now: number): Promise<boolean> {
    const hash = libraryHash(libs);
    const won = await this.servers.createQueryBuilder().update(Server)
      .set({ libraryHash: hash, libraryCount: libs.length })
      .where('id = :id AND (library_hash IS NULL OR library_hash <> :h)', { id: serverId, h: hash })
      .execute();
    if (!won.affected) return false;
    const upsert = `INSERT INTO server_libraries (id, server_id, library_id, library_name, path_prefix, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ${this.dialect.upsertSuffix(
      ['server_id', 'library_id'],
      `library_name = ${this.dialect.excluded('library_name')}, path_prefix = ${this.dialect.excluded('path_prefix')}, updated_at = ${this.dialect.excluded('updated_at')}`,
    )}`;
    for (const l of libs) await this.ds.query(upsert, [randomUUID(), serverId, l.id, l.name, l.prefix ?? null, now, now]);
    const qb = this.libraries.createQueryBuilder().delete().from(ServerLibrary).where('server_id = :s', { s: serverId });
    if (libs.length) qb.andWhere('library_id NOT IN (:...ids)', { ids: libs.map((l) => l.id) });
    await qb.execute();
    return true;
  }
}
