import { createHash } from 'node:crypto';

/** Share permissions nest: view ⊂ play ⊂ download. */
export const PERMISSIONS = ['view', 'play', 'download'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What a caller wants to do on a server; each action needs one permission. */
export type AccessAction = 'browse' | 'play' | 'download';
export const ACTION_NEEDS: Record<AccessAction, Permission> = { browse: 'view', play: 'play', download: 'download' };

export function rank(p: Permission | null | undefined): number {
  return p ? PERMISSIONS.indexOf(p) + 1 : 0;
}

/** The stronger of two permissions (null = none). */
export function maxPermission(a: Permission | null, b: Permission | null): Permission | null {
  return rank(a) >= rank(b) ? a : b;
}

export function includes(held: Permission | null, needed: Permission): boolean {
  return rank(held) >= rank(needed);
}

/**
 * Uniqueness key of an active share: one live grant per (server, grantee, library-or-whole-server).
 * Stored hashed (fixed length fits every index) in `active_key`; cleared when the share ends.
 */
export function scopeKey(serverId: string, granteeId: string, libraryId: string | null): string {
  return createHash('sha256')
    .update(`${serverId}\n${granteeId}\n${libraryId === null ? '*' : `L:${libraryId}`}`)
    .digest('hex');
}

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
