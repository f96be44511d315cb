import { iso } from './permissions.js';
import type { ShareDto } from './dto/sharing-responses.dto.js';

export interface PersonView {
  id: string;
  username: string | null;
  display_name: string | null;
}

/** The facts a share's API view is made of, however they were loaded. */
export interface ShareFacts {
  id: string;
  serverId: string;
  serverName: string | null;
  libraryId: string | null;
  libraryName: string | null;
  permission: string;
  source: string;
  status: 'active' | 'expired' | 'revoked';
  owner: PersonView;
  grantee: PersonView;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  allowRawChannels?: boolean | number | null;
}

/** The one shape of a share in every answer (lists, create, patch, admin). */
export function shareView(f: ShareFacts): ShareDto {
  return {
    id: f.id,
    server_id: f.serverId,
    server_name: f.serverName,
    library_id: f.libraryId,
    library_name: f.libraryId === null ? null : f.libraryName,
    scope: f.libraryId === null ? 'server' : 'library',
    permission: f.permission,
    source: f.source,
    status: f.status,
    owner: f.owner,
    grantee: f.grantee,
    owner_user_id: f.owner.id,
    owner_display_name: f.owner.display_name,
    grantee_user_id: f.grantee.id,
    grantee_display_name: f.grantee.display_name,
    created_at: iso(f.createdAt),
    updated_at: iso(f.updatedAt),
    expires_at: iso(f.expiresAt),
    allow_raw_channels: !!f.allowRawChannels && Number(f.allowRawChannels) !== 0,
  };
}
