import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { HubAuthGuard } from '../../auth/auth.guard.js';
import type { AuthUser } from '../../common/auth.decorators.js';
import { bearerToken } from '../../common/bearer.js';
import { Clock } from '../../common/clock.js';
import { HubEvents } from '../../common/hub-events.js';
import { AccessService, type AccessDecision, type AccessScope } from '../../sharing/access.service.js';
import type { AccessAction } from '../../sharing/permissions.js';
import { OriginProfiles, type OriginProfile } from './origin-profile.js';

/** How long a positive answer (a valid token, an allowed decision, an origin profile) is reused. */
export const ADMISSION_TTL_MS = 1000;
const MAX_ENTRIES = 20_000;

interface Entry<T> {
  value: T;
  /** performance.now() when read */
  at: number;
  /** hub Clock when read: a clock that jumped (tests, NTP step) makes every entry stale */
  clockAt: number;
  userId?: string;
  serverId?: string;
  /** token expiry, seconds (hub clock) */
  exp?: number;
}

/** The exp claim of a JWT, read without verifying (only to bound how long a verified answer is reused). */
function expOf(token: string): number | undefined {
  try {
    const body = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof body.exp === 'number' ? body.exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the proxy asks before every relayed request, kept for ADMISSION_TTL_MS in memory so the
 * steady state does no database round trip: the user behind an access token (signature, account
 * row and session checks), the access decision of (user, server, library, action, scope) and the
 * server's origin profile. Only positive answers are kept (a refusal is always asked again), never
 * past the token's expiry. In this process a revoke, downgrade, disable, delete, release or
 * re-enrollment drops the affected entries at once (HubEvents), a heartbeat its server's profile
 * (proxy.route.ts); other processes' entries age out
 * within ADMISSION_TTL_MS, and streams already open are judged again by the registry.
 */
@Injectable()
export class AdmissionCache implements OnModuleInit {
  private readonly users = new Map<string, Entry<AuthUser>>();
  private readonly decisions = new Map<string, Entry<AccessDecision>>();
  private readonly profiles = new Map<string, Entry<OriginProfile>>();
  /** loads under way: requests that miss together share one (one query per key, not one each) */
  private readonly loading = new Map<string, Promise<unknown>>();
  /** bumped by every drop: a load that began before one neither fills the cache nor is shared after it */
  private gen = 0;

  constructor(
    private readonly guard: HubAuthGuard,
    private readonly access: AccessService,
    private readonly origins: OriginProfiles,
    private readonly clock: Clock,
    private readonly events: HubEvents,
  ) {}

  onModuleInit(): void {
    const user = (p: { userId: string }) => this.dropUser(p.userId);
    this.events.onAnywhere('user.disabled', user);
    this.events.onAnywhere('user.deleted', user);
    this.events.onAnywhere('share.changed', (p) => this.dropUser(p.granteeId));
    const server = (p: { serverId: string }) => this.dropServer(p.serverId);
    this.events.onAnywhere('server.released', server);
    this.events.onAnywhere('server.enrollment_changed', server);
    // a heartbeat may change the origin's layout: its profile is read again
    this.events.onAnywhere('server.heartbeat', (p) => this.dropProfile(p.serverId));
  }

  async user(req: FastifyRequest): Promise<AuthUser> {
    const token = bearerToken(req);
    const hit = token ? this.fresh(this.users, token) : undefined;
    if (hit) return hit;
    if (!token) return this.guard.authenticateUser(req);
    return this.load(`u|${token}`, async (gen) => {
      const u = await this.guard.authenticateUser(req);
      if (gen === this.gen) this.put(this.users, token, { value: u, userId: u.id, exp: expOf(token) });
      return u;
    });
  }

  async decide(
    userId: string,
    serverId: string,
    libraryId: string | null,
    action: AccessAction,
    scope: AccessScope,
  ): Promise<AccessDecision> {
    const k = `${userId}|${serverId}|${libraryId ?? ''}|${action}|${scope}`;
    const hit = this.fresh(this.decisions, k);
    if (hit) return hit;
    return this.load(`d|${k}`, async (gen) => {
      const d = await this.access.decide(userId, serverId, libraryId, action, scope);
      if (gen === this.gen && (d.role === 'owner' || (d.role === 'grantee' && d.allowed))) {
        this.put(this.decisions, k, { value: d, userId, serverId });
      }
      return d;
    });
  }

  async profile(serverId: string): Promise<OriginProfile> {
    const hit = this.fresh(this.profiles, serverId);
    if (hit) return hit;
    return this.load(`p|${serverId}`, async (gen) => {
      const p = await this.origins.of(serverId);
      if (gen === this.gen) this.put(this.profiles, serverId, { value: p, serverId });
      return p;
    });
  }

  private load<T>(key: string, fn: (gen: number) => Promise<T>): Promise<T> {
    const running = this.loading.get(key) as Promise<T> | undefined;
    if (running) return running;
    const p = fn(this.gen).finally(() => {
      if (this.loading.get(key) === p) this.loading.delete(key);
    });
    this.loading.set(key, p);
    return p;
  }

  private dropped(): void {
    this.gen++;
    this.loading.clear();
  }

  private fresh<T>(m: Map<string, Entry<T>>, k: string): T | undefined {
    const e = m.get(k);
    if (!e) return undefined;
    const age = performance.now() - e.at;
    const clock = this.clock.now();
    if (
      age < ADMISSION_TTL_MS &&
      Math.abs(clock - e.clockAt - age) < 100 &&
      (e.exp === undefined || clock / 1000 < e.exp)
    ) {
      return e.value;
    }
    m.delete(k);
    return undefined;
  }

  private put<T>(m: Map<string, Entry<T>>, k: string, e: Omit<Entry<T>, 'at' | 'clockAt'>): void {
    if (m.size >= MAX_ENTRIES) m.clear();
    m.set(k, { ...e, at: performance.now(), clockAt: this.clock.now() });
  }

  /** The server reported a new layout (heartbeat: capabilities, library prefixes): read its profile again. */
  dropProfile(serverId: string): void {
    this.dropped();
    this.profiles.delete(serverId.toLowerCase());
  }

  private dropUser(userId: string): void {
    this.dropped();
    for (const m of [this.users, this.decisions] as Map<string, Entry<unknown>>[]) {
      for (const [k, e] of m) if (e.userId === userId) m.delete(k);
    }
  }

  private dropServer(serverId: string): void {
    this.dropped();
    for (const m of [this.decisions, this.profiles] as Map<string, Entry<unknown>>[]) {
      for (const [k, e] of m) if (e.serverId === serverId) m.delete(k);
    }
  }
}
