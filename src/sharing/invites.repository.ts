import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { fetchPage, type Page } from '../common/paging.js';
import { InviteLink } from './entities/invite-link.entity.js';
import type { AdminListSharingQuery } from './dto/admin-sharing.dto.js';

/** The one owner of the `invite_links` table; a use is consumed by one conditional UPDATE. */
@Injectable()
export class InvitesRepository {
  constructor(@InjectRepository(InviteLink) private readonly invites: Repository<InviteLink>) {}

  async insert(inv: InviteLink): Promise<void> {
    await this.invites.insert(inv);
  }

  findById(id: string): Promise<InviteLink | null> {
    return this.invites.findOne({ where: { id } });
  }

  findByTokenHash(tokenHash: string): Promise<InviteLink | null> {
    return this.invites.findOne({ where: { tokenHash } });
  }

  /** The owner's links that are not revoked, newest first. */
  unrevokedOf(ownerId: string): Promise<InviteLink[]> {
    return this.invites
      .createQueryBuilder('inv')
      .where('inv.ownerId = :me AND inv.revokedAt IS NULL', { me: ownerId })
      .orderBy('inv.createdAt', 'DESC')
      .addOrderBy('inv.id')
      .getMany();
  }

  async revoke(id: string, now: number): Promise<void> {
    await this.invites
      .createQueryBuilder()
      .update()
      .set({ revokedAt: now, updatedAt: now })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
  }

  /** Revoke every unrevoked link of the server; how many. */
  async revokeAllOfServer(serverId: string, now: number): Promise<number> {
    const r = await this.invites
      .createQueryBuilder()
      .update()
      .set({ revokedAt: now, updatedAt: now })
      .where('server_id = :serverId AND revoked_at IS NULL', { serverId })
      .execute();
    return r.affected ?? 0;
  }

  /** Delete every link the user made; how many. */
  async deleteOfOwner(ownerId: string): Promise<number> {
    const r = await this.invites.createQueryBuilder().delete().where('owner_id = :u', { u: ownerId }).execute();
    return r.affected ?? 0;
  }

  /** Take one use while the link is usable: exactly max_uses callers get true, however many race. */
  async consumeUse(id: string, now: number): Promise<boolean> {
    const r = await this.invites
      .createQueryBuilder()
      .update()
      .set({ useCount: () => 'use_count + 1', updatedAt: now })
      .where('id = :id AND use_count < max_uses AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)', {
        id,
        now,
      })
      .execute();
    return !!r.affected;
  }

  /** Give a consumed use back (the grant it paid for failed). */
  async returnUse(id: string): Promise<void> {
    await this.invites
      .createQueryBuilder()
      .update()
      .set({ useCount: () => 'use_count - 1' })
      .where('id = :id AND use_count > 0', { id })
      .execute();
  }

  /** The operators' list: usable links (status=active, the default) or every link (status=all), newest first. */
  adminPage<T>(q: AdminListSharingQuery, now: number, view: (rows: InviteLink[]) => Promise<T[]>): Promise<Page<T>> {
    const qb = this.invites.createQueryBuilder('inv').where('1 = 1');
    if (q.status !== 'all') {
      qb.andWhere(
        'inv.revokedAt IS NULL AND inv.useCount < inv.maxUses AND (inv.expiresAt IS NULL OR inv.expiresAt > :now)',
        { now },
      );
    }
    if (q.server_id) qb.andWhere('inv.serverId = :sid', { sid: q.server_id });
    if (q.user_id) qb.andWhere('inv.ownerId = :uid', { uid: q.user_id });
    return fetchPage(qb.orderBy('inv.createdAt', 'DESC').addOrderBy('inv.id', 'ASC'), q, view);
  }
}
