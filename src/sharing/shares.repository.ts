import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, IsNull, MoreThan, Repository, type SelectQueryBuilder } from 'typeorm';
import { Clock } from '../common/clock.js';
import { fetchPage, type Page } from '../common/paging.js';
import { Server } from '../servers/entities/server.entity.js';
import { LibraryShare } from './entities/library-share.entity.js';
import { ServerLibrary } from '../servers/entities/server-library.entity.js';
import { User } from '../users/entities/user.entity.js';
import type { LiveShareRow } from './share-list-view.js';
import type { AdminListSharingQuery } from './dto/admin-sharing.dto.js';

/**
 * The one owner of the `library_shares` table, and the one definition of a *live* share: not
 * revoked, not expired by the Clock, and its server still belongs to the share's owner.
 */
@Injectable()
export class SharesRepository {
  constructor(
    @InjectRepository(LibraryShare) private readonly shares: Repository<LibraryShare>,
    private readonly clock: Clock,
  ) {}

  /** Live shares (alias `sh`, the server joined as `srv`). */
  private live(now = this.clock.now()): SelectQueryBuilder<LibraryShare> {
    return this.shares
      .createQueryBuilder('sh')
      .innerJoin(Server, 'srv', 'srv.id = sh.serverId AND srv.ownerId = sh.ownerId')
      .where('sh.revokedAt IS NULL')
      .andWhere('(sh.expiresAt IS NULL OR sh.expiresAt > :now)', { now });
  }

  /** A live share by id, or null. */
  findLive(id: string): Promise<LibraryShare | null> {
    return this.live().andWhere('sh.id = :id', { id }).getOne();
  }

  /** A share by id, live or not. */
  findById(id: string): Promise<LibraryShare | null> {
    return this.shares.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<LibraryShare[]> {
    return this.shares.findBy({ id: In(ids) });
  }

  /** The grantee's live shares on one server. */
  liveOf(serverId: string, granteeId: string): Promise<LibraryShare[]> {
    return this.live()
      .andWhere('sh.serverId = :sid AND sh.granteeId = :uid', { sid: serverId, uid: granteeId })
      .getMany();
  }

  /** Every live share of one server, oldest first. */
  liveOfServer(serverId: string): Promise<LibraryShare[]> {
    return this.live()
      .andWhere('sh.serverId = :id', { id: serverId })
      .orderBy('sh.createdAt', 'ASC')
      .addOrderBy('sh.id')
      .getMany();
  }

  hasLive(serverId: string, granteeId: string): Promise<boolean> {
    return this.live()
      .andWhere('sh.serverId = :sid AND sh.granteeId = :uid', { sid: serverId, uid: granteeId })
      .getExists();
  }

  /** A live whole-server share with download on which the owner allowed raw client channels. */
  hasLiveRawChannelGrant(serverId: string, granteeId: string): Promise<boolean> {
    return this.live()
      .andWhere('sh.serverId = :sid AND sh.granteeId = :uid AND sh.libraryId IS NULL', {
        sid: serverId,
        uid: granteeId,
      })
      .andWhere("sh.permission = 'download' AND sh.allowRawChannels = :yes", { yes: true })
      .getExists();
  }

  /**
   * A user's live shares on one side (`owner` = outgoing, `grantee` = incoming), newest first, with
   * the names a view needs, in one joined query and without hydrating entities (see share-list-view.ts).
   */
  liveRows(side: 'owner' | 'grantee', userId: string): Promise<LiveShareRow[]> {
    return this.live()
      .leftJoin(User, 'ou', 'ou.id = sh.ownerId')
      .leftJoin(User, 'gu', 'gu.id = sh.granteeId')
      .leftJoin(ServerLibrary, 'lib', 'lib.serverId = sh.serverId AND lib.libraryId = sh.libraryId')
      .select([
        'sh.id AS id',
        'sh.server_id AS server_id',
        'srv.name AS server_name',
        'sh.library_id AS library_id',
        'lib.library_name AS library_name',
        'sh.library_name AS snapshot_name',
        'sh.permission AS permission',
        'sh.source AS source',
        'sh.owner_id AS owner_id',
        'ou.username AS owner_username',
        'ou.display_name AS owner_display',
        'sh.grantee_id AS grantee_id',
        'gu.username AS grantee_username',
        'gu.display_name AS grantee_display',
        'sh.created_at AS created_at',
        'sh.updated_at AS updated_at',
        'sh.expires_at AS expires_at',
        'sh.allow_raw_channels AS allow_raw_channels',
      ])
      .andWhere(side === 'owner' ? 'sh.ownerId = :me' : 'sh.granteeId = :me', { me: userId })
      .orderBy('sh.createdAt', 'DESC')
      .addOrderBy('sh.id')
      .getRawMany();
  }

  /** (grantee, server) of the grantees' shares written after `since` (revoked, changed or new). */
  async changedSince(granteeIds: string[], since: number): Promise<{ granteeId: string; serverId: string }[]> {
    if (!granteeIds.length) return [];
    const rows = await this.shares.find({
      select: { granteeId: true, serverId: true },
      where: { granteeId: In(granteeIds), updatedAt: MoreThan(since) },
    });
    return rows.map((r) => ({ granteeId: r.granteeId, serverId: r.serverId }));
  }

  /** Shares of the server that are not revoked (expired ones included). */
  unrevokedOfServer(serverId: string): Promise<LibraryShare[]> {
    return this.shares.find({ where: { serverId, revokedAt: IsNull() } });
  }

  /** Every share to or from the user, whatever its state. */
  touching(userId: string): Promise<LibraryShare[]> {
    return this.shares
      .createQueryBuilder('sh')
      .where(new Brackets((b) => b.where('sh.ownerId = :u', { u: userId }).orWhere('sh.granteeId = :u', { u: userId })))
      .getMany();
  }

  async deleteTouching(userId: string): Promise<void> {
    await this.shares.createQueryBuilder().delete().where('owner_id = :u OR grantee_id = :u', { u: userId }).execute();
  }

  /** Free the slot `key` if an expired share, or one whose server changed hands, still holds it. */
  async freeStaleSlot(key: string, ownerId: string, now: number): Promise<void> {
    await this.shares
      .createQueryBuilder()
      .update()
      .set({ activeKey: null, updatedAt: now })
      .where('active_key = :key AND ((expires_at IS NOT NULL AND expires_at <= :now) OR owner_id <> :owner)', {
        key,
        now,
        owner: ownerId,
      })
      .execute();
  }

  /** Insert a share; a live share of the same slot throws the unique violation. */
  async insert(sh: LibraryShare): Promise<void> {
    await this.shares.insert(sh);
  }

  /** Change a share while it is not revoked; false if it was. */
  async updateUnrevoked(id: string, set: Partial<LibraryShare>): Promise<boolean> {
    const r = await this.shares
      .createQueryBuilder()
      .update()
      .set(set)
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return !!r.affected;
  }

  /** End these shares now (soft: revoked_at set, slot freed); how many were still unrevoked. */
  async end(ids: string[], reason: string, now: number): Promise<number> {
    const r = await this.shares
      .createQueryBuilder()
      .update()
      .set({ revokedAt: now, activeKey: null, revokeReason: reason, updatedAt: now })
      .where('id IN (:...ids) AND revoked_at IS NULL', { ids })
      .execute();
    return r.affected ?? 0;
  }

  /** (server, grantee) pairs of unrevoked shares that expired in (after, upTo] (index ix_library_shares_expires). */
  async expiredBetween(after: number, upTo: number): Promise<{ serverId: string; granteeId: string }[]> {
    const rows: { server_id: string; grantee_id: string }[] = await this.shares
      .createQueryBuilder('sh')
      .select('sh.server_id', 'server_id')
      .addSelect('sh.grantee_id', 'grantee_id')
      .distinct(true)
      .where('sh.expires_at > :after AND sh.expires_at <= :upTo AND sh.revoked_at IS NULL', { after, upTo })
      .limit(10_000)
      .getRawMany();
    return rows.map((r) => ({ serverId: r.server_id, granteeId: r.grantee_id }));
  }

  /** The operators' list: live shares (status=active, the default) or every share (status=all), newest first. */
  adminPage<T>(q: AdminListSharingQuery, view: (rows: LibraryShare[]) => Promise<T[]>): Promise<Page<T>> {
    const qb = q.status === 'all' ? this.shares.createQueryBuilder('sh').where('1 = 1') : this.live();
    if (q.server_id) qb.andWhere('sh.serverId = :sid', { sid: q.server_id });
    if (q.user_id) {
      qb.andWhere(
        new Brackets((b) =>
          b.where('sh.ownerId = :uid', { uid: q.user_id }).orWhere('sh.granteeId = :uid', { uid: q.user_id }),
        ),
      );
    }
    return fetchPage(qb.orderBy('sh.createdAt', 'DESC').addOrderBy('sh.id', 'ASC'), q, view);
  }
}
