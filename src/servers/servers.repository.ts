import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, Repository } from 'typeorm';
import { fetchPage, type Page } from '../common/paging.js';
import { LIKE_ESCAPE, likeContains } from '../common/sql-like.js';
import { Server } from './entities/server.entity.js';
import type { ListServersQuery } from './dto/servers-admin.dto.js';

/** What a heartbeat writes on the server row. */
export type HeartbeatFacts = Pick<Server, 'lastSeenAt' | 'version' | 'updatedAt'> &
  Partial<Pick<Server, 'hostnameCandidates' | 'capabilities'>>;

/** The one owner of the `servers` table: lookups, and the conditional UPDATEs the pairing races hinge on. */
@Injectable()
export class ServersRepository {
  constructor(@InjectRepository(Server) private readonly servers: Repository<Server>) {}

  findById(id: string): Promise<Server | null> {
    return this.servers.findOne({ where: { id } });
  }

  findOwned(ownerId: string, id: string): Promise<Server | null> {
    return this.servers.findOne({ where: { id, ownerId } });
  }

  /** A server that is claimed by someone. */
  findClaimed(id: string): Promise<Server | null> {
    return this.servers.findOne({ where: { id, ownerId: Not(IsNull()) } });
  }

  findByIds(ids: string[]): Promise<Server[]> {
    return this.servers.find({ where: { id: In(ids) } });
  }

  /** The stored capabilities JSON of a server (null when unreported or unknown). */
  async capabilitiesOf(id: string): Promise<string | null> {
    return (
      (await this.servers.findOne({ where: { id }, select: { id: true, capabilities: true } }))?.capabilities ?? null
    );
  }

  /** id and name of these servers. */
  namesOf(ids: string[]): Promise<Pick<Server, 'id' | 'name'>[]> {
    return this.servers.find({ where: { id: In(ids) }, select: { id: true, name: true } });
  }

  /** id, owner and current enrollment of these servers (the tunnel re-check). */
  enrollmentStates(ids: string[]): Promise<Pick<Server, 'id' | 'ownerId' | 'enrollmentJti'>[]> {
    return this.servers.find({ where: { id: In(ids) }, select: { id: true, ownerId: true, enrollmentJti: true } });
  }

  ownedBy(ownerId: string): Promise<Server[]> {
    return this.servers.find({ where: { ownerId } });
  }

  ownedByInNameOrder(ownerId: string): Promise<Server[]> {
    return this.servers.find({ where: { ownerId }, order: { name: 'ASC', id: 'ASC' } });
  }

  async idsOwnedBy(ownerId: string): Promise<string[]> {
    return (await this.servers.find({ select: { id: true }, where: { ownerId } })).map((s) => s.id);
  }

  /** Every row of one server key, whatever account holds it. */
  withKey(thumbprint: string): Promise<Server[]> {
    return this.servers.find({ where: { keyThumbprint: thumbprint } });
  }

  async insert(s: Server): Promise<void> {
    await this.servers.insert(s);
  }

  /** Bind the row to an account while it still has the owner `prevOwnerId` (null = released); false if it changed. */
  async bindIfOwner(id: string, prevOwnerId: string | null, set: Partial<Server>): Promise<boolean> {
    const qb = this.servers.createQueryBuilder().update(Server).set(set).where('id = :id', { id });
    if (prevOwnerId === null) qb.andWhere('owner_id IS NULL');
    else qb.andWhere('owner_id = :prev', { prev: prevOwnerId });
    return !!(await qb.execute()).affected;
  }

  /** End the ownership while `ownerId` still holds it: exactly one concurrent caller gets true. */
  async releaseIfOwner(id: string, ownerId: string, now: number): Promise<boolean> {
    const res = await this.servers
      .createQueryBuilder()
      .update(Server)
      .set({
        ownerId: null,
        enrollmentJti: null,
        enrollmentExpiresAt: null,
        status: 'offline',
        releasedAt: now,
        libraryHash: null,
        libraryCount: null,
        updatedAt: now,
      })
      .where('id = :id AND owner_id = :owner', { id, owner: ownerId })
      .execute();
    return !!res.affected;
  }

  /** Make `jti` the server's only enrollment, while it is claimed (and by `expectedOwnerId` / still on `expectedJti` if given). */
  async replaceEnrollment(
    id: string,
    e: { jti: string; expiresAt: number; now: number },
    cond: { expectedOwnerId?: string; expectedJti?: string },
  ): Promise<boolean> {
    const qb = this.servers
      .createQueryBuilder()
      .update(Server)
      .set({ enrollmentJti: e.jti, enrollmentExpiresAt: e.expiresAt, enrolledAt: e.now, updatedAt: e.now })
      .where('id = :id AND owner_id IS NOT NULL', { id });
    if (cond.expectedOwnerId) qb.andWhere('owner_id = :owner', { owner: cond.expectedOwnerId });
    if (cond.expectedJti) qb.andWhere('enrollment_jti = :jti', { jti: cond.expectedJti });
    return !!(await qb.execute()).affected;
  }

  /** Rename a server its owner still holds: false when it is no longer theirs. */
  async renameIfOwner(id: string, ownerId: string, name: string, now: number): Promise<boolean> {
    const res = await this.servers.update({ id, ownerId }, { name, updatedAt: now });
    return !!res.affected;
  }

  async clearEnrollment(id: string, now: number): Promise<void> {
    await this.servers.update({ id }, { enrollmentJti: null, enrollmentExpiresAt: null, updatedAt: now });
  }

  /** A heartbeat of the current enrollment: the server is seen (and online unless disabled). false if `jti` is not current. */
  async recordSeen(id: string, jti: string, facts: HeartbeatFacts): Promise<boolean> {
    const res = await this.servers
      .createQueryBuilder()
      .update(Server)
      .set({ ...facts, status: () => `CASE WHEN status = 'disabled' THEN 'disabled' ELSE 'online' END` })
      .where('id = :id AND enrollment_jti = :jti AND owner_id IS NOT NULL', { id, jti })
      .execute();
    return !!res.affected;
  }

  /** Swap in a new library-list hash; of concurrent callers with the same new list exactly one gets true. */
  async swapLibraryHash(id: string, hash: string, count: number): Promise<boolean> {
    const won = await this.servers
      .createQueryBuilder()
      .update(Server)
      .set({ libraryHash: hash, libraryCount: count })
      .where('id = :id AND (library_hash IS NULL OR library_hash <> :h)', { id, h: hash })
      .execute();
    return !!won.affected;
  }

  /** online servers last seen before `cut` → offline; how many changed. */
  async markSilentOffline(cut: number, now: number): Promise<number> {
    const res = await this.servers
      .createQueryBuilder()
      .update(Server)
      .set({ status: 'offline', updatedAt: now })
      .where('status = :online AND (last_seen_at IS NULL OR last_seen_at < :cut)', { online: 'online', cut })
      .execute();
    return res.affected ?? 0;
  }

  /** The operators' list: filters, oldest first, one page. */
  adminPage<T>(q: ListServersQuery, view: (rows: Server[]) => Promise<T[]>): Promise<Page<T>> {
    const qb = this.servers.createQueryBuilder('s');
    if (q.owner) qb.andWhere('s.owner_id = :owner', { owner: q.owner.toLowerCase() });
    if (q.status === 'released') qb.andWhere('s.owner_id IS NULL');
    else if (q.status) qb.andWhere('s.status = :status AND s.owner_id IS NOT NULL', { status: q.status });
    if (q.q) {
      qb.andWhere(`LOWER(s.name) LIKE :like ${LIKE_ESCAPE}`, { like: likeContains(q.q) });
    }
    return fetchPage(qb.orderBy('s.created_at', 'ASC').addOrderBy('s.id', 'ASC'), q, view);
  }
}
