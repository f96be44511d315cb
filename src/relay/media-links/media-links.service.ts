import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { HubError } from '../../common/hub-error.js';
import { sha256Hex } from '../../common/sha256.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { AccessService } from '../../sharing/access.service.js';
import { checkRelayPath, PathRejected } from '../proxy/proxy-rules.js';
import { normalizePath, PathNotNormal } from '../proxy/path-normalize.js';
import type { MediaLink } from './media-link.entity.js';
import { MediaLinksRepository } from './media-links.repository.js';
import { MEDIA_LINK_DEFAULT_TTL, type CreateMediaLinkDto, type MediaLinkDto } from './media-links.dto.js';

/** What ends a live stream early (RelayHttpStream.terminate). */
interface Terminable {
  terminate(reason: string): void;
}

/** How often streams of live links are checked against expiry (in-process) and revocation (any process). */
export const MEDIA_LINK_CHECK_MS = 250;
const REVOCATION_POLL_MS = 750;

const notFound = () =>
  new HubError('media_link.not_found', 'This media link does not exist, has expired or was revoked');

/**
 * Media links: short-lived, revocable URLs for players that cannot send a header. A link is its
 * holder's own access (the relay decides each request as for them, on the proxy route's rules)
 * narrowed to one server and one path prefix. Streams opened with a link end within a second when
 * it expires or is revoked (here or on another hub process); a share change ends them through the
 * tunnel registry like every relay stream.
 */
@Injectable()
export class MediaLinksService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('MediaLinks');
  /** link id → expiry and the streams open with it */
  private readonly live = new Map<string, { expiresAt: number; streams: Set<Terminable> }>();
  private job: PeriodicJob | null = null;
  private lastPoll = 0;

  constructor(
    private readonly repo: MediaLinksRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.job = every(
      this.scheduler,
      'relay.media-links',
      MEDIA_LINK_CHECK_MS,
      () => this.check(),
      (e) => this.log.warn(`media link check failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
  }

  async create(userId: string, dto: CreateMediaLinkDto): Promise<MediaLinkDto> {
    const serverId = dto.server_id.toLowerCase();
    let norm;
    try {
      checkRelayPath(dto.path);
      norm = normalizePath(dto.path);
    } catch (e) {
      if (e instanceof PathRejected || e instanceof PathNotNormal) {
        throw new HubError('relay.bad_path', `The path cannot be relayed: ${e.message}`);
      }
      throw e;
    }
    const d = await this.access.decide(userId, serverId, null, 'browse');
    if (d.role === null) throw new HubError('server.not_found', 'No such server');
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const row: MediaLink = {
      id: randomUUID(),
      tokenHash: sha256Hex(secret),
      userId,
      serverId,
      pathPrefix: norm.decoded,
      createdAt: now,
      expiresAt: now + (dto.ttl_seconds ?? MEDIA_LINK_DEFAULT_TTL) * 1000,
      revokedAt: null,
    };
    await this.repo.insert(row);
    return {
      id: row.id,
      url: `${this.cfg.http.publicUrl.replace(/\/+$/, '')}/m/${secret}${norm.wire}`,
      server_id: serverId,
      path: norm.decoded,
      expires_at: new Date(row.expiresAt).toISOString(),
    };
  }

  /** Revoke one of `userId`'s links; its streams end at once. */
  async revoke(userId: string, id: string): Promise<void> {
    const row = await this.repo.findOfUser(id, userId);
    if (!row) throw notFound();
    if (row.revokedAt === null) await this.repo.revoke(id, this.clock.now());
    this.end(id);
  }

  /** The live link a secret opens, or 404 media_link.not_found. */
  async open(secret: string): Promise<MediaLink> {
    const row = await this.repo.findByTokenHash(sha256Hex(secret));
    if (!row || row.revokedAt !== null || row.expiresAt <= this.clock.now()) throw notFound();
    return row;
  }

  /** Watch a stream opened with `link` until its response closes. */
  track(link: MediaLink, stream: Terminable, res: ServerResponse): void {
    let entry = this.live.get(link.id);
    if (!entry) this.live.set(link.id, (entry = { expiresAt: link.expiresAt, streams: new Set() }));
    entry.streams.add(stream);
    const e = entry;
    res.once('close', () => {
      e.streams.delete(stream);
      if (!e.streams.size && this.live.get(link.id) === e) this.live.delete(link.id);
    });
  }

  private end(id: string): void {
    const entry = this.live.get(id);
    if (!entry) return;
    this.live.delete(id);
    for (const s of entry.streams) s.terminate('access_revoked');
  }

  private async check(): Promise<void> {
    if (!this.live.size) return;
    const now = this.clock.now();
    for (const [id, e] of this.live) if (e.expiresAt <= now) this.end(id);
    if (Date.now() - this.lastPoll < REVOCATION_POLL_MS || !this.live.size) return;
    this.lastPoll = Date.now();
    const ids = [...this.live.keys()].slice(0, 500);
    for (const id of await this.repo.revokedAmong(ids)) this.end(id);
  }
}
