import { shareView } from './share-view.js';

/** The raw columns one row of a user's share list carries (string/number as the driver gives them). */
export interface LiveShareRow {
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
 * One row of SharesRepository.liveRows as the API view (rows come from one joined query without
 * hydrating entities: an owner with hundreds of grants was CPU-bound on building 400+ entities per
 * request, bench/BENCHMARKS.md). The answer is the same as SharingStore.shareView of the share;
 * test/sharing-shares holds them equal.
 */
export function liveShareView(r: LiveShareRow) {
  return shareView({
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
  });
}
