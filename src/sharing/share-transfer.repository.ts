import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  ShareTransferStore,
  type ExportedShareRow,
  type ImportedShare,
  type ShareImportSteps,
} from '../common/ports/share-transfer.port.js';
import { Server } from '../servers/entities/server.entity.js';
import { ServerLibrary } from '../servers/entities/server-library.entity.js';
import { User } from '../users/entities/user.entity.js';
import { LibraryShare } from './entities/library-share.entity.js';
import type { Permission } from './permissions.js';

/** The queries of `share:export` / `share:import`. */
@Injectable()
export class ShareTransferRepository extends ShareTransferStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  liveShares(now: number): Promise<ExportedShareRow[]> {
    return this.ds.manager
      .createQueryBuilder(LibraryShare, 'sh')
      .innerJoin(Server, 'srv', 'srv.id = sh.server_id AND srv.owner_id = sh.owner_id')
      .leftJoin(User, 'o', 'o.id = sh.owner_id')
      .leftJoin(User, 'g', 'g.id = sh.grantee_id')
      .select([
        'sh.id AS id',
        'sh.owner_id AS owner_id',
        'o.username AS owner_username',
        'sh.grantee_id AS grantee_id',
        'g.username AS grantee_username',
      ])
      .addSelect([
        'sh.server_id AS server_id',
        'srv.key_thumbprint AS thumb',
        'srv.name AS server_name',
        'sh.library_id AS library_id',
        'sh.library_name AS library_name',
      ])
      .addSelect([
        'sh.permission AS permission',
        'sh.source AS source',
        'sh.expires_at AS expires_at',
        'sh.created_at AS created_at',
      ])
      .where('sh.revoked_at IS NULL')
      .andWhere('(sh.expires_at IS NULL OR sh.expires_at > :now)', { now })
      .orderBy('sh.created_at', 'ASC')
      .addOrderBy('sh.id', 'ASC')
      .getRawMany();
  }

  transaction<T>(fn: (steps: ShareImportSteps) => Promise<T>): Promise<T> {
    return this.ds.transaction((m) => fn(importSteps(m)));
  }
}

function importSteps(m: EntityManager): ShareImportSteps {
  const shares = m.getRepository(LibraryShare);
  return {
    shareExists: (id) => shares.exists({ where: { id } }),
    ownedServerId: async (keyThumbprint, ownerId) =>
      (await m.getRepository(Server).findOne({ where: { keyThumbprint, ownerId } }))?.id ?? null,
    libraryIds: async (serverId) =>
      (await m.getRepository(ServerLibrary).find({ where: { serverId }, select: { libraryId: true } })).map(
        (l) => l.libraryId,
      ),
    freeStaleSlot: async (key, now, owner) => {
      await shares
        .createQueryBuilder()
        .update()
        .set({ activeKey: null, updatedAt: now })
        .where('active_key = :key AND ((expires_at IS NOT NULL AND expires_at <= :now) OR owner_id <> :owner)', {
          key,
          now,
          owner,
        })
        .execute();
    },
    slotTaken: (activeKey) => shares.exists({ where: { activeKey } }),
    insert: async (s: ImportedShare) => {
      await shares.insert({
        ...s,
        permission: s.permission as Permission,
        inviteId: null,
        revokedAt: null,
        revokeReason: null,
      });
    },
  };
}
