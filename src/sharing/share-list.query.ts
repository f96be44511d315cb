import type { SelectQueryBuilder } from 'typeorm';
import { ServerLibrary } from '../servers/entities/server-library.entity.js';
import { User } from '../users/entities/user.entity.js';
import type { LibraryShare } from './entities/library-share.entity.js';
import { shareView } from './share-view.js';

/** The raw columns one list row carries (string/number as the driver gives them). */
interface ShareRow {
  id: string;
  server_id: string;
  server_name: string | null;
  library_id: string | null;
  library_name: string | null;
  snapshot_name: string | null;
  permission: string;
  source: string;
  owner_id: string;
  owner_username: string | null;
  owner_display: string | null;
  grantee_id: string;
  grantee_username: string | null;
  grantee_display: string | null;
  created_at: string | number;
  updated_at: string | number;
  expires_at: string | number | null;
  allow_raw_channels: boolean | number | string | null;
}

/**
 * A user's live shares on one side (`owner` = outgoing, `grantee` = incoming) as API views, in one
 * joined query without hydrating entities: an owner with hundreds of grants was CPU-bound on
 * building 400+ entities per request (bench/BENCHMARKS.md). The answer is the same as
 * SharingStore.shareView over the same live shares; test/sharing-shares holds them equal. Called only
 * by SharesRepository.liveViews, which owns the query it extends.
 */
export async function liveShareViews(live: SelectQueryBuilder<LibraryShare>, side: 'owner' | 'grantee', userId: string) {
  // `live` is the live-share query of SharesRepository: alias `sh`, servers joined as `srv`, the liveness filter
  const rows: ShareRow[] = await live
    .leftJoin(User, 'ou', 'ou.id = sh.ownerId')
    .leftJoin(User, 'gu', 'gu.id = sh.granteeId')
    .leftJoin(ServerLibrary, 'lib', 'lib.serverId = sh.serverId AND lib.libraryId = sh.libraryId')
    .select([
      'sh.id AS id', 'sh.server_id AS server_id', 'srv.name AS server_name', 'sh.library_id AS library_id',
      'lib.library_name AS library_name', 'sh.library_name AS snapshot_name', 'sh.permission AS permission', 'sh.source AS source',
      'sh.owner_id AS owner_id', 'ou.username AS owner_username', 'ou.display_name AS owner_display',
      'sh.grantee_id AS grantee_id', 'gu.username AS grantee_username', 'gu.display_name AS grantee_display',
      'sh.created_at AS created_at', 'sh.updated_at AS updated_at', 'sh.expires_at AS expires_at', 'sh.allow_raw_channels AS allow_raw_channels',
    ])
    .andWhere(side === 'owner' ? 'sh.ownerId = :me' : 'sh.granteeId = :me', { me: userId })
    .orderBy('sh.createdAt', 'DESC')
    .addOrderBy('sh.id')
    .getRawMany();
  return rows.map((r) =>
    shareView({
      id: r.id,
      serverId: r.server_id,
      serverName: r.server_name,
      libraryId: r.library_id,
      libraryName: r.library_name ?? r.snapshot_name,
      permission: r.permission,
      source: r.source,
      status: 'active', // live by the WHERE clause
      owner: { id: r.owner_id, username: r.owner_username, display_name: r.owner_display },
      grantee: { id: r.grantee_id, username: r.grantee_username, display_name: r.grantee_display },
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      expiresAt: r.expires_at === null ? null : Number(r.expires_at),
      allowRawChannels: r.allow_raw_channels !== null && Number(r.allow_raw_channels) === 1,
    }),
  );
}
