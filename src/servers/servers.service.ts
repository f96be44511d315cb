import { Injectable } from '@nestjs/common';
import { relayUrlOf } from '../common/relay-url.js';
import { HubConfig } from '../config/config.js';
import { HubError } from '../common/hub-error.js';
import { RelayPresence } from '../common/relay-presence.js';
import { isUuid } from '../common/pipes.js';
import type { Server } from './entities/server.entity.js';
import { ServersRepository } from './servers.repository.js';
import { LibrariesRepository } from './libraries.repository.js';
import { HeartbeatsRepository } from './heartbeats.repository.js';
import { UsersService } from '../users/users.service.js';
import { RelaySessionsService } from '../relay/relay-sessions.service.js';
import { heartbeatView, serverDetailView, serverInfoDto, ServerInfoDto, unixOrNull } from './server-views.js';
import { serverSelfInfo } from './dto/server-responses.dto.js';

export const DETAIL_HEARTBEATS = 20;

/** Lookups and read models of servers (exported for other modules: findById / getOwned). */
@Injectable()
export class ServersService {
  constructor(
    private readonly servers: ServersRepository,
    private readonly libraries: LibrariesRepository,
    private readonly heartbeats: HeartbeatsRepository,
    private readonly users: UsersService,
    private readonly sessions: RelaySessionsService,
    private readonly relay: RelayPresence,
    private readonly cfg: HubConfig,
  ) {}

  hubBaseUrl(): string {
    return this.cfg.http.publicUrl;
  }

  /** Base URL of the server's relay proxy (`…/api/v1/servers/{id}/proxy/`). */
  relayUrl(serverId: string): string {
    return relayUrlOf(this.cfg.http.publicUrl, serverId);
  }

  hubJwksUrl(): string {
    return `${this.cfg.http.publicUrl}/.well-known/jwks.json`;
  }

  /** The server row, claimed or not; null if unknown. */
  async findById(id: string): Promise<Server | null> {
    if (!isUuid(id)) return null;
    return this.servers.findById(id.toLowerCase());
  }

  /** The server if `userId` owns it; otherwise 404 server.not_found (never reveals other users' servers). */
  async getOwned(userId: string, id: string): Promise<Server> {
    const s = isUuid(id) ? await this.servers.findOwned(userId, id.toLowerCase()) : null;
    if (!s) throw new HubError('server.not_found', 'No such server');
    return s;
  }

  info(s: Server): ServerInfoDto {
    return serverInfoDto(s, this.relay.isActive(s.id));
  }

  async listOwned(userId: string): Promise<ServerInfoDto[]> {
    const rows = await this.servers.ownedByInNameOrder(userId);
    return rows.map((s) => this.info(s));
  }

  fqdn(s: Server): string | null {
    return s.subdomain ? `${s.subdomain}.${new URL(this.cfg.http.publicUrl).hostname}` : null;
  }

  async detail(userId: string, id: string) {
    const s = await this.getOwned(userId, id);
    const relayActive = this.relay.isActive(s.id);
    const [history, libs] = await Promise.all([
      this.heartbeats.latest(s.id, DETAIL_HEARTBEATS),
      this.libraries.ofServer(s.id),
    ]);
    return {
      server: { ...serverDetailView(s, relayActive, this.fqdn(s)), relay_url: this.relayUrl(s.id) },
      info: serverInfoDto(s, relayActive),
      relay_session: relayActive ? await this.openRelaySession(s.id) : null,
      heartbeat_history: history.map(heartbeatView),
      libraries: libs.map((l) => ({
        id: l.libraryId,
        name: l.libraryName,
        server_id: s.id,
        path_prefix: l.pathPrefix ?? null,
      })),
    };
  }

  /** The open relay session (the relay module's bookkeeping), in the server-detail shape; null if none. */
  private async openRelaySession(serverId: string) {
    try {
      const r = await this.sessions.findOpen(serverId);
      if (!r) return null;
      return {
        id: r.id,
        worker_node: r.workerNode,
        opened_at: new Date(r.openedAt).toISOString(),
        bytes_in: r.bytesIn,
        bytes_out: r.bytesOut,
        last_frame_at: r.lastFrameAt === null ? null : Math.floor(r.lastFrameAt / 1000),
      };
    } catch {
      return null; // the relay's bookkeeping could not be read: the detail answers without it
    }
  }

  /** Libraries of the caller's servers (optionally one server: 404 unless owned). */
  async librariesOf(userId: string, serverId?: string) {
    let owned: Server[];
    if (serverId !== undefined) owned = [await this.getOwned(userId, serverId)];
    else owned = await this.servers.ownedBy(userId);
    if (!owned.length) return { libraries: [] };
    const names = new Map(owned.map((s) => [s.id, s.name]));
    const libs = await this.libraries.ofServers([...names.keys()]);
    return {
      libraries: libs.map((l) => ({
        id: l.libraryId,
        name: l.libraryName,
        server_id: l.serverId,
        server_name: names.get(l.serverId) ?? null,
      })),
    };
  }

  /** What a server may learn about itself (GET /api/v1/servers/{id}/info). */
  async selfInfo(id: string) {
    const s = await this.servers.findClaimed(id);
    if (!s) throw new HubError('server.not_found', 'No such server');
    const owner = s.ownerId ? await this.users.findById(s.ownerId) : null;
    return serverSelfInfo(this.info(s), {
      owner: owner ? { id: owner.id, username: owner.username, display_name: owner.displayName } : null,
      fqdn: this.fqdn(s),
      relayUrl: this.relayUrl(s.id),
      enrolledAt: unixOrNull(s.enrolledAt),
      enrollmentExpiresAt: unixOrNull(s.enrollmentExpiresAt),
      heartbeatInterval: 60,
      offlineAfterSeconds: 180,
      hubBaseUrl: this.hubBaseUrl(),
      hubJwksUrl: this.hubJwksUrl(),
    });
  }
}
