import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { AuthRegistry } from '../common/auth-registry.js';
import { SessionsRepository } from './sessions.repository.js';

/** How often (ms, at most) a process looks for sessions ended by another process. */
export const SESSION_POLL_MS = 1000;
/** Overlap of consecutive polls (ms): a revocation committed a little after its timestamp is still seen. */
const POLL_OVERLAP_MS = 5000;

/**
 * Access tokens end with their session. Every access token carries `sid` = its refresh-token
 * family; a session ends when that family is revoked (logout, password reset, disabling, reuse).
 * Each process keeps the families revoked within the last access-token lifetime in memory:
 * its own revocations at once, other processes' through one indexed query at most every
 * SESSION_POLL_MS (never a query per request).
 */
@Injectable()
export class SessionRevocations implements OnModuleInit {
  private readonly log = new Logger('SessionRevocations');
  /** family id → revoked at (ms) */
  private readonly revoked = new Map<string, number>();
  private since: number | null = null;
  private lastPoll = 0;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly repo: SessionsRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly registry: AuthRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.addUserCheck((_user, access) => (access ? this.assertLive(access) : undefined));
  }

  /** Refuse an access token whose session ended (or that names none). */
  async assertLive(access: JWTPayload): Promise<void> {
    const sid = access.sid;
    if (typeof sid !== 'string' || !sid) throw new HubError('auth.invalid_token', 'The token is invalid');
    await this.refresh();
    if (this.revoked.has(sid)) throw new HubError('auth.invalid_token', 'This session has ended');
  }

  /** This process just ended these sessions. */
  markRevoked(familyIds: Iterable<string>): void {
    const now = this.clock.now();
    for (const f of familyIds) this.revoked.set(f, now);
  }

  private refresh(): Promise<void> {
    if (Date.now() - this.lastPoll < SESSION_POLL_MS) return Promise.resolve();
    this.polling ??= this.poll().finally(() => {
      this.lastPoll = Date.now();
      this.polling = null;
    });
    return this.polling;
  }

  private async poll(): Promise<void> {
    const now = this.clock.now();
    const keepMs = (this.cfg.auth.accessTtlSeconds + 60) * 1000;
    const since = this.since ?? now - keepMs;
    let rows: { familyId: string; at: number }[];
    try {
      rows = await this.repo.revokedFamiliesSince(since);
    } catch (e) {
      this.log.warn(`session revocation poll failed: ${(e as Error).message}`);
      return; // this process's own revocations still hold; the next poll catches up from the same point
    }
    for (const r of rows) this.revoked.set(r.familyId, r.at);
    this.since = now - POLL_OVERLAP_MS;
    for (const [f, at] of this.revoked) if (at < now - keepMs) this.revoked.delete(f);
  }
}
