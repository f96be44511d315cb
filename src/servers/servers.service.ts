import { Injectable } from '@nestjs/common';
import { relayUrlOf } from '../common/relay-url.js';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, Repository } from 'typeorm';
import { HubConfig } from '../config/config.js';
import { HubError } from '../common/hub-error.js';
import { RelayPresence } from '../common/relay-presence.js';
import { isUuid } from '../common/pipes.js';
import { Server } from './entities/server.entity.js';
import { ServerLibrary } from './entities/server-library.entity.js';
import { ServerHeartbeat } from './entities/server-heartbeat.entity.js';
import { heartbeatView, serverDetailView, serverInfoDto, ServerInfoDto, unixOrNull } from './server-views.js';
import { User } from '../users/entities/user.entity.js';
import { serverSelfInfo } from './dto/server-responses.dto.js';

export const DETAIL_HEARTBEATS = 20;

/** Lookups and read models of servers (exported for other modules: findById / getOwned). */
@Injectable()
export class ServersService {
  constructor(
    @InjectRepository(Server) private readonly servers: Repository<Server>,
    @InjectRepository(ServerLibrary) private readonly libraries: Repository<ServerLibrary>,
    @InjectRepository(ServerHeartbeat) private readonly heartbeats: Repository<ServerHeartbeat>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly relay: RelayPresence,
    private readonly cfg: HubConfig,
    private readonly ds: DataSource,
  ) {}

  repository(): Repository<Server> {
    return this.servers;
  }

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
    return this.servers.findOne({ where: { id: id.toLowerCase() } });
  }

  /** The server if `userId` owns it; otherwise 404 server.not_found (never reveals other users' servers). */
  async getOwned(userId: string, id: string): Promise<Server> {
    const s = isUuid(id) ? await this.servers.findOne({ where: { id: id.toLowerCase(), ownerId: userId } }) : null;
    if (!s) throw new HubError('server.not_found', 'No such server');
    return s;
  }

  info(s: Server): ServerInfoDto {
    return serverInfoDto(s, this.relay.isActive(s.id));
  }

  async listOwned(userId: string): Promise<ServerInfoDto[]> {
    const rows = await this.servers.find({ where: { ownerId: userId }, order: { name: 'ASC', id: 'ASC' } });
    return rows.map((s) => this.info(s));
  }

  fqdn(s: Server): string | null {
    return s.subdomain ? `${s.subdomain}.${new URL(this.cfg.http.publicUrl).hostname}` : null;
  }

  async detail(userId: string, id: string) {
    const s = await this.getOwned(userId, id);
    const relayActive = this.relay.isActive(s.id);
    const [history, libs] = await Promise.all([
      this.heartbeats.find({ where: { serverId: s.id }, order: { receivedAt: 'DESC', id: 'DESC' }, take: DETAIL_HEARTBEATS }),
      this.libraries.find({ where: { serverId: s.id }, order: { libraryName: 'ASC', libraryId: 'ASC' } }),
    ]);
    return {
      server: { ...serverDetailView(s, relayActive, this.fqdn(s)), relay_url: this.relayUrl(s.id) },
      info: serverInfoDto(s, relayActive),
      relay_session: relayActive ? await this.openRelaySession(s.id) : null,
      heartbeat_history: history.map(heartbeatView),
      libraries: libs.map((l) => ({ id: l.libraryId, name: l.libraryName, server_id: s.id, path_prefix: l.pathPrefix ?? null })),
    };
  }

  /** The open relay_sessions row (owned by the relay module), in the server-detail shape; null if none. */
  private async openRelaySession(serverId: string) {
    try {
      const rows: Record<string, unknown>[] = await this.ds.query(
        'SELECT id, worker_node, opened_at, bytes_in, bytes_out, last_frame_at FROM relay_sessions WHERE server_id = ? AND closed_at IS NULL ORDER BY opened_at DESC LIMIT 1',
        [serverId],
      );
      const r = rows[0];
      if (!r) return null;
      return {
        id: String(r.id), worker_node: String(r.worker_node), opened_at: new Date(Number(r.opened_at)).toISOString(),
        bytes_in: Number(r.bytes_in), bytes_out: Number(r.bytes_out), last_frame_at: r.last_frame_at === null ? null : Math.floor(Number(r.last_frame_at) / 1000),
      };
    } catch {
      return null; // relay tables not present (relay module not installed)
    }
  }

  /** Libraries of the caller's servers (optionally one server: 404 unless owned). */
  async librariesOf(userId: string, serverId?: string) {
    let owned: Server[];
    if (serverId !== undefined) owned = [await this.getOwned(userId, serverId)];
    else owned = await this.servers.find({ where: { ownerId: userId } });
    if (!owned.length) return { libraries: [] };
    const names = new Map(owned.map((s) => [s.id, s.name]));
    const libs = await this.libraries.find({ where: { serverId: In([...names.keys()]) }, order: { libraryName: 'ASC', libraryId: 'ASC' } });
    return {
      libraries: libs.map((l) => ({ id: l.libraryId, name: l.libraryName, server_id: l.serverId, server_name: names.get(l.serverId) ?? null })),
    };
  }

  /** What a server may learn about itself (GET /api/v1/servers/{id}/info). */
  async selfInfo(id: string) {
    const s = await this.servers.findOne({ where: { id, ownerId: Not(IsNull()) } });
    if (!s) throw new HubError('server.not_found', 'No such server');
    const owner = s.ownerId ? await this.users.findOne({ where: { id: s.ownerId } }) : null;
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
