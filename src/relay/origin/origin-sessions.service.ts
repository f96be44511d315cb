import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { HubError } from '../../common/hub-error.js';
import { sha256Hex } from '../../common/sha256.js';
import { AccessService } from '../../sharing/access.service.js';
import type { OriginSession } from './origin-session.entity.js';
import { OriginSessionsRepository } from './origin-sessions.repository.js';
import { hostOfServer } from './host-template.js';

/** How long the one-time entry URL works. */
export const ENTRY_TTL_MS = 60_000;
/** How long a browser stays in on a server's origin before it must open it from the hub again. */
export const ORIGIN_SESSION_TTL_MS = 12 * 3600_000;

const secret = () => randomBytes(32).toString('base64url');

/**
 * The way into a server's own origin: the hub (where the user is signed in) hands out a one-time
 * entry URL on that origin; the entry turns into a host-only session cookie there. The session
 * names only who the user is: every request is still decided by AccessService as on the proxy route.
 */
@Injectable()
export class OriginSessions {
  private lastPrune = 0;

  constructor(
    private readonly repo: OriginSessionsRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  /** A one-time URL that signs `userId` in on the server's origin. 404 for a server they cannot reach. */
  async issueEntry(userId: string, serverId: string): Promise<{ url: string; expires_at: string }> {
    const d = await this.access.decide(userId, serverId, null, 'browse');
    if (d.role === null) throw new HubError('server.not_found', 'No such server');
    const now = this.clock.now();
    await this.prune(now);
    const token = secret();
    const row: OriginSession = {
      id: randomUUID(),
      userId,
      serverId,
      entryHash: sha256Hex(token),
      entryExpiresAt: now + ENTRY_TTL_MS,
      enteredAt: null,
      sessionHash: null,
      expiresAt: now + ENTRY_TTL_MS,
      createdAt: now,
    };
    await this.repo.insert(row);
    const scheme = new URL(this.cfg.http.publicUrl).protocol;
    return {
      url: `${scheme}//${hostOfServer(this.cfg.relay.hostTemplate, serverId)}/.phlix/enter?t=${token}`,
      expires_at: new Date(row.entryExpiresAt).toISOString(),
    };
  }

  /** Use an entry token (once, on its own server's origin): the secret of the new session cookie. */
  async enter(serverId: string, token: string): Promise<string> {
    const now = this.clock.now();
    const invalid = new HubError(
      'relay.origin_entry_invalid',
      'This link to the server has been used or has expired: open the server from the hub again',
    );
    const row = await this.repo.findByEntryHash(sha256Hex(token));
    if (!row || row.serverId !== serverId || row.enteredAt !== null || row.entryExpiresAt <= now) throw invalid;
    const session = secret();
    if (!(await this.repo.enter(row.id, sha256Hex(session), now, now + ORIGIN_SESSION_TTL_MS))) throw invalid;
    return session;
  }

  /** The user of a session cookie on `serverId`'s origin, or 401. */
  async userOf(serverId: string, session: string | undefined): Promise<string> {
    const required = new HubError('relay.origin_session_required', 'Open this server from the hub to sign in here');
    if (!session) throw required;
    const row = await this.repo.findBySessionHash(sha256Hex(session));
    if (!row || row.serverId !== serverId || row.expiresAt <= this.clock.now()) throw required;
    return row.userId;
  }

  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < 60_000 && now >= this.lastPrune) return;
    this.lastPrune = now;
    await this.repo.deleteExpired(now).catch(() => undefined);
  }
}
