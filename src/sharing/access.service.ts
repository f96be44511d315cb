import { Injectable } from '@nestjs/common';
import { ServersRepository } from '../servers/servers.repository.js';
import { UsersService } from '../users/users.service.js';
import { SharesRepository } from './shares.repository.js';
import { ACTION_NEEDS, AccessAction, includes, maxPermission, Permission } from './permissions.js';

export interface AccessDecision {
  allowed: boolean;
  role: 'owner' | 'grantee' | null;
  /** libraries the user may do the asked action on; null = the whole server */
  libraryIds: string[] | null;
  permission: Permission | null;
}

/** 'whole': the target lies outside every library (path-prefix origins); only whole-server grants count. */
export type AccessScope = 'any' | 'whole';

export interface Grant {
  libraryId: string | null;
  permission: Permission;
}

const NOTHING: AccessDecision = { allowed: false, role: null, libraryIds: [], permission: null };

/**
 * The decision for a grantee from their live grants on one server (pure; unit-tested as a table).
 *  - permission: with a library, the strongest grant covering it (whole-server grants cover every library);
 *    without one, the strongest grant held on the server.
 *  - libraryIds: where the action is permitted — null when a whole-server grant permits it, else the
 *    library ids whose grant permits it (possibly empty).
 *  - allowed: the library (or, without one, at least one place on the server) permits the action.
 */
export function decideForGrantee(
  grants: Grant[],
  libraryId: string | null,
  action: AccessAction,
  scope: AccessScope = 'any',
): AccessDecision {
  if (!grants.length) return { ...NOTHING };
  const need = ACTION_NEEDS[action];
  const whole = grants
    .filter((g) => g.libraryId === null)
    .reduce<Permission | null>((p, g) => maxPermission(p, g.permission), null);
  // a path outside every library of a path-prefix origin: only whole-server grants reach it
  if (scope === 'whole') {
    return {
      allowed: includes(whole, need),
      role: 'grantee',
      libraryIds: includes(whole, need) ? null : [],
      permission: whole,
    };
  }
  let permission: Permission | null;
  if (libraryId === null) {
    permission = grants.reduce<Permission | null>((p, g) => maxPermission(p, g.permission), null);
  } else {
    permission = grants
      .filter((g) => g.libraryId === null || g.libraryId === libraryId)
      .reduce<Permission | null>((p, g) => maxPermission(p, g.permission), null);
  }
  const libraryIds = includes(whole, need)
    ? null
    : [
        ...new Set(
          grants.filter((g) => g.libraryId !== null && includes(g.permission, need)).map((g) => g.libraryId as string),
        ),
      ].sort();
  const allowed = libraryId === null ? libraryIds === null || libraryIds.length > 0 : includes(permission, need);
  return { allowed, role: 'grantee', libraryIds, permission };
}

/**
 * "May user U do action A on server S (library L)?" for the relay and anyone else.
 * Owners may do everything; grantees what their live shares permit (view ⊂ play ⊂ download);
 * unknown, disabled or unrelated users nothing. Expired/revoked shares and shares whose server
 * changed hands never count.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly shares: SharesRepository,
    private readonly servers: ServersRepository,
    private readonly users: UsersService,
  ) {}

  /** Shares to these grantees written after `since`: what another hub process may have revoked or changed. */
  sharesChangedSince(granteeIds: string[], since: number): Promise<{ granteeId: string; serverId: string }[]> {
    return this.shares.changedSince(granteeIds, since);
  }

  async decide(
    userId: string,
    serverId: string,
    libraryId: string | null,
    action: AccessAction,
    scope: AccessScope = 'any',
  ): Promise<AccessDecision> {
    if (!(action in ACTION_NEEDS)) return { ...NOTHING };
    const [server, user] = await Promise.all([this.servers.findById(serverId), this.users.findById(userId)]);
    if (!server || !server.ownerId || !user || user.disabled) return { ...NOTHING };
    if (server.ownerId === userId) return { allowed: true, role: 'owner', libraryIds: null, permission: 'download' };
    // a disabled owner's server is shared with nobody until the owner is enabled again
    const owner = await this.users.findById(server.ownerId);
    if (!owner || owner.disabled) return { ...NOTHING };
    const shares = await this.shares.liveOf(serverId, userId);
    return decideForGrantee(
      shares.map((s) => ({ libraryId: s.libraryId, permission: s.permission })),
      libraryId,
      action,
      scope,
    );
  }

  /**
   * May this grantee open raw client channels? Only with a live share of the whole server, with
   * download, on which the owner set allow_raw_channels (a channel carries bytes the hub cannot
   * judge per path, so it is never granted more narrowly). Owners always may (see decide).
   */
  async rawChannelsGranted(userId: string, serverId: string): Promise<boolean> {
    const d = await this.decide(userId, serverId, null, 'download', 'whole');
    if (d.role !== 'grantee' || !d.allowed) return false;
    return this.shares.hasLiveRawChannelGrant(serverId, userId);
  }
}
