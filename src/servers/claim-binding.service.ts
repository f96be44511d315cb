import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { createHash } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { HubEvents } from '../common/hub-events.js';
import { Server } from './entities/server.entity.js';
import { ServerClaim } from './entities/server-claim.entity.js';
import { ServerReleaseService, ReleaseActor } from './release.service.js';
import { EnrollmentService } from './enrollment.service.js';

export function isDuplicate(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === 'ER_DUP_ENTRY' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed|Duplicate entry/i.test(err?.message ?? '');
}

/** The pending_key of a proven claim: a slot of its own, so a caller without the proof never gets its code. */
export function provenSlot(thumbprint: string): string {
  return createHash('sha256').update(`proven:${thumbprint}`).digest('hex');
}

export function claimedElsewhere(): HubError {
  return new HubError(
    'claim.server_already_claimed',
    'This server is claimed to another Hub account and must be released first: its owner unclaims it ' +
      '(DELETE /api/v1/me/servers/{id}), or an operator runs `phlix-hub server:release <id>` ' +
      '(POST /api/v1/admin/servers/{id}/release). Then claim it again.',
  );
}

/**
 * Turns a won claim into the server's hub association. One server row per key: a key seen
 * before (released, or claimed by someone) keeps its server id. If another account owned it, that
 * old claim ends now — re-claim, allowed only for a proven claim (the server presented its
 * current enrollment JWT on claims/new; a public key alone is not secret): tunnel closed, the old owner's shares end (server.released
 * 'reclaimed'), history cleared. The owner re-pairing its own server only rotates the enrollment.
 */
@Injectable()
export class ClaimBindingService {
  constructor(
    @InjectRepository(Server) private readonly servers: Repository<Server>,
    private readonly release: ServerReleaseService,
    private readonly enrollment: EnrollmentService,
    private readonly events: HubEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * Does `token` prove the claim comes from the server holding this key? It must be that server's
   * currently valid enrollment JWT (the @ServerAuth() checks: signature, audience, expiry, claimed,
   * current jti). Anything else (none, expired, revoked, another server's) is just "not proven":
   * claims/new stays public.
   */
  async proves(token: string | undefined, thumbprint: string): Promise<boolean> {
    if (!token) return false;
    let serverId: string;
    try {
      serverId = (await this.enrollment.verify(token)).serverId;
    } catch (e) {
      if (e instanceof HubError) return false;
      throw e;
    }
    const s = await this.servers.findOne({ where: { id: serverId } });
    return !!s && s.ownerId !== null && s.keyThumbprint === thumbprint;
  }

  /** The server of this key when an account other than `userId` owns it (a claim would move it). */
  async ownedElsewhere(thumbprint: string, userId: string): Promise<Server | null> {
    const s = await this.servers.findOne({ where: { keyThumbprint: thumbprint } });
    return s && s.ownerId !== null && s.ownerId !== userId ? s : null;
  }

  async bind(claim: ServerClaim, userId: string, actor: ReleaseActor): Promise<{ server: Server; previousOwnerId: string | null }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock.now();
      const existing = await this.servers.findOne({ where: { keyThumbprint: claim.keyThumbprint } });
      if (!existing) {
        const s: Server = Object.assign(new Server(), {
          id: randomUUID(), ownerId: userId, name: claim.serverName, version: claim.version, publicKeyJwk: claim.publicKeyJwk,
          keyThumbprint: claim.keyThumbprint, hostnameCandidates: claim.hostnameCandidates, capabilities: null, status: 'online',
          lastSeenAt: now, enrolledAt: now, enrollmentJti: null, enrollmentExpiresAt: null, subdomain: null, libraryHash: null,
          libraryCount: null, releasedAt: null, createdAt: now, updatedAt: now,
        });
        try {
          await this.servers.insert(s);
          return { server: s, previousOwnerId: null };
        } catch (e) {
          if (isDuplicate(e)) continue; // the same key was bound concurrently: take the update path
          throw e;
        }
      }
      const prev = existing.ownerId;
      const moved = prev !== null && prev !== userId;
      if (moved && !claim.proven) throw claimedElsewhere(); // checked against the owner the UPDATE below requires
      const set: Partial<Server> = {
        ownerId: userId, name: claim.serverName, version: claim.version, publicKeyJwk: claim.publicKeyJwk,
        hostnameCandidates: claim.hostnameCandidates, status: 'online', lastSeenAt: now, enrolledAt: now,
        enrollmentJti: null, enrollmentExpiresAt: null, releasedAt: null, updatedAt: now,
        ...(moved ? { libraryHash: null, libraryCount: null } : {}),
      };
      const qb = this.servers.createQueryBuilder().update(Server).set(set).where('id = :id', { id: existing.id });
      if (prev === null) qb.andWhere('owner_id IS NULL');
      else qb.andWhere('owner_id = :prev', { prev });
      const res = await qb.execute();
      if (!res.affected) continue; // ownership changed under us: look again
      if (moved) {
        await this.release.clearHistory(existing.id);
        await this.release.afterOwnerEnded(existing.id, prev, 'reclaimed', actor);
      } else if (prev === userId) {
        await this.events.emit('server.enrollment_changed', { serverId: existing.id });
      }
      const server = await this.servers.findOneOrFail({ where: { id: existing.id } });
      return { server, previousOwnerId: prev };
    }
    throw new Error(`could not bind claim ${claim.id}: the server row kept changing`);
  }
}
