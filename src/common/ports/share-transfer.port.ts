/** A live share as `share:export` reads it (raw columns: see ShareTransferStore.liveShares). */
export type ExportedShareRow = Record<string, unknown>;

/** A share as `share:import` writes it. */
export interface ImportedShare {
  id: string;
  ownerId: string;
  granteeId: string;
  serverId: string;
  libraryId: string | null;
  libraryName: string | null;
  permission: string;
  source: 'direct' | 'invite';
  /** the grantee's scope slot (sharing's scopeKey) */
  activeKey: string;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The steps of one share import, all inside one transaction. */
export interface ShareImportSteps {
  shareExists(id: string): Promise<boolean>;
  /** the id of the server with this key thumbprint that `ownerId` has claimed here, or null */
  ownedServerId(keyThumbprint: string, ownerId: string): Promise<string | null>;
  /** the library ids the server last reported */
  libraryIds(serverId: string): Promise<string[]>;
  /** free the slot when an expired share, or one from before the server changed hands, holds it */
  freeStaleSlot(activeKey: string, now: number, ownerId: string): Promise<void>;
  slotTaken(activeKey: string): Promise<boolean>;
  insert(share: ImportedShare): Promise<void>;
}

/** What the sharing feature provides to `share:export` / `share:import` (bound by SharingPortsModule). */
export abstract class ShareTransferStore {
  /**
   * Shares neither revoked nor expired at `now` whose server is still owned by the share's owner,
   * oldest first, with columns id, owner_id, owner_username, grantee_id, grantee_username, server_id,
   * thumb, server_name, library_id, library_name, permission, source, expires_at, created_at.
   */
  abstract liveShares(now: number): Promise<ExportedShareRow[]>;
  /** Run `fn` in one transaction; a throw rolls every step back. */
  abstract transaction<T>(fn: (steps: ShareImportSteps) => Promise<T>): Promise<T>;
}
