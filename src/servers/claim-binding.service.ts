import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { HubEvents } from '../common/hub-events.js';
import { Server } from './entities/server.entity.js';
import type { ServerClaim } from './entities/server-claim.entity.js';
import { ServersRepository } from './servers.repository.js';
import { ServerReleaseService, ReleaseActor } from './release.service.js';
import { isUniqueViolation } from '../database/unique-violation.js';

/**
 * Turns a won claim into the server's hub association, one row per (key, account):
 * - the account already has a row of this key: re-pair it (only the enrollment is replaced);
 * - unproven claim (stock server, or anyone who copied the public key): reuse a released row of
 *   the key, else a new row. It never moves or blocks another account's row: a copied public key
 *   gives the copier a row of its own that no real server is connected to, nothing more;
 * - proven claim (the key holder signed it): the key's oldest row is bound to the account (moved
 *   if another account had it: re-claim), and every other account's row of the key ends
 *   ('reclaimed': tunnel closed, shares end, history cleared).
 */
@Injectable()
export class ClaimBindingService {
  constructor(
    private readonly servers: ServersRepository,
    private readonly release: ServerReleaseService,
    private readonly events: HubEvents,
    private readonly clock: Clock,
  ) {}

  async bind(
    claim: ServerClaim,
    userId: string,
    actor: ReleaseActor,
  ): Promise<{ server: Server; previousOwnerId: string | null }> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const now = this.clock.now();
      const rows = await this.servers.withKey(claim.keyThumbprint);
      // the key's first row (the longest-standing id) among those this claim may take
      const oldest = (list: Server[]) => list.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))[0];
      const target =
        rows.find((r) => r.ownerId === userId) ??
        oldest(claim.proven ? [...rows] : rows.filter((r) => r.ownerId === null));
      let bound: { server: Server; previousOwnerId: string | null } | null;
      try {
        bound = target ? await this.take(target, claim, userId, now) : await this.insert(claim, userId, now);
      } catch (e) {
        if (isUniqueViolation(e)) continue; // this account got a row of this key concurrently: look again
        throw e;
      }
      if (!bound) continue; // the row changed under us: look again
      const prev = bound.previousOwnerId;
      if (prev !== null && prev !== userId) {
        await this.release.clearHistory(bound.server.id);
        await this.release.afterOwnerEnded(bound.server.id, prev, 'reclaimed', actor);
      } else if (prev === userId) {
        await this.events.emit('server.enrollment_changed', { serverId: bound.server.id });
      }
      if (claim.proven) await this.endOthers(claim.keyThumbprint, userId, bound.server.id, actor);
      return bound;
    }
    throw new Error(`could not bind claim ${claim.id}: the server rows kept changing`);
  }

  private async insert(claim: ServerClaim, userId: string, now: number) {
    const s: Server = Object.assign(new Server(), {
      id: randomUUID(),
      ownerId: userId,
      name: claim.serverName,
      version: claim.version,
      publicKeyJwk: claim.publicKeyJwk,
      keyThumbprint: claim.keyThumbprint,
      hostnameCandidates: claim.hostnameCandidates,
      capabilities: null,
      status: 'online',
      lastSeenAt: now,
      enrolledAt: now,
      enrollmentJti: null,
      enrollmentExpiresAt: null,
      subdomain: null,
      libraryHash: null,
      libraryCount: null,
      releasedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.servers.insert(s);
    return { server: s, previousOwnerId: null };
  }

  /** Bind `row` to the account, only while it still has the owner we saw (null if it changed). */
  private async take(row: Server, claim: ServerClaim, userId: string, now: number) {
    const prev = row.ownerId;
    const moved = prev !== null && prev !== userId;
    if (moved && !claim.proven) throw new Error('an unproven claim never moves a server'); // bind() never picks one
    const set: Partial<Server> = {
      ownerId: userId,
      name: claim.serverName,
      version: claim.version,
      publicKeyJwk: claim.publicKeyJwk,
      hostnameCandidates: claim.hostnameCandidates,
      status: 'online',
      lastSeenAt: now,
      enrolledAt: now,
      enrollmentJti: null,
      enrollmentExpiresAt: null,
      releasedAt: null,
      updatedAt: now,
      ...(moved ? { libraryHash: null, libraryCount: null } : {}),
    };
    if (!(await this.servers.bindIfOwner(row.id, prev, set))) return null;
    const server = await this.servers.findById(row.id);
    if (!server) throw new Error(`server ${row.id} vanished while it was bound`);
    return { server, previousOwnerId: prev };
  }

  /** A proven claim: the key holder chose this account, so the key's rows in other accounts end. */
  private async endOthers(thumbprint: string, userId: string, keepId: string, actor: ReleaseActor): Promise<void> {
    const rows = await this.servers.withKey(thumbprint);
    for (const r of rows) {
      if (r.id === keepId || r.ownerId === null || r.ownerId === userId) continue;
      try {
        await this.release.release(r.id, { expectedOwnerId: r.ownerId, reason: 'reclaimed' }, actor);
      } catch (e) {
        if (!(e instanceof HubError)) throw e; // released concurrently
      }
    }
  }
}
