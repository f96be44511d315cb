/**
 * Shapes of the hub's answers the screens use. The OpenAPI document describes request bodies but not
 * yet most answers, so these are written from the hub's view functions (userView, shareView, serverInfoDto, …); when
 * the document gains response schemas they give way to the generated types in schema.d.ts.
 */
import type { components } from './schema';

export type Permission = components['schemas']['CreateShareDto']['permission'];
export const PERMISSIONS: Permission[] = ['view', 'play', 'download'];

export interface User {
  id: string;
  username: string;
  email: string;
  display_name: string | null;
  is_admin: boolean;
  disabled: boolean;
  region: string | null;
  linked_hub_id: string | null;
  created_at: string;
}

export interface AuthAnswer {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
}

export interface HubInfo {
  hub_id: string;
  name: string;
  public_url: string;
  version: string;
  terms_of_service: string | null;
  privacy_policy: string | null;
  content_policy: string | null;
}

/** ServerInfoDto (camelCase, as servers and apps share it); lastSeenAt in Unix seconds. */
export interface ServerInfo {
  serverId: string;
  userId: string;
  serverName: string;
  version: string;
  lastSeenAt: number | null;
  status: string;
  hostnameCandidates: string[];
  relayActive: boolean;
  libraryCount: number | null;
  subdomain: string | null;
}

export interface Library {
  id: string;
  name: string;
  server_id: string;
  server_name?: string | null;
}

export interface ClaimAnswer {
  status: 'claimed';
  server_id: string;
  server_name: string;
  server: ServerInfo;
}

export interface ClaimToken {
  claim_token: string;
  expires_in: number;
  expires_at: string;
}

export interface Person {
  id: string;
  username: string | null;
  display_name: string | null;
}

export interface Share {
  id: string;
  server_id: string;
  server_name: string | null;
  library_id: string | null;
  library_name: string | null;
  scope: 'server' | 'library';
  permission: Permission;
  source: string;
  status: 'active' | 'expired' | 'revoked';
  owner: Person;
  grantee: Person;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  /** incoming shares: whether the server's tunnel is up, and where to open it through the hub */
  server_online?: boolean;
  relay_url?: string;
}

export interface Invite {
  id: string;
  server_id: string;
  server_name: string | null;
  library_id: string | null;
  library_name: string | null;
  permission: Permission;
  max_uses: number;
  use_count: number;
  status: 'active' | 'exhausted' | 'expired' | 'revoked';
  expires_at: string | null;
  created_at: string;
  url: string | null;
}

export interface CreatedInvite {
  id: string;
  token: string;
  url: string;
  expires_at: string | null;
  max_uses: number;
}

export interface InvitePreview {
  server_name: string | null;
  scope: 'server' | 'library';
  library_name: string | null;
  permission: Permission;
  inviter_display_name: string | null;
  expires_at: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

export interface Dashboard {
  generated_at: string;
  users: { total: number; admins: number; disabled: number };
  servers: { total: number; online: number; offline: number; claiming: number; disabled: number };
  relay: {
    active_tunnels: number;
    active_streams: number;
    bytes_today: number;
    bytes_today_since: string;
    note?: string;
  };
}
