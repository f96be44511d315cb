import { Injectable } from '@nestjs/common';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { AuditService } from '../../audit/audit.service.js';
import type { User } from '../../users/entities/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import { ShareTransferStore } from '../../common/ports/share-transfer.port.js';
import { PERMISSIONS, scopeKey } from '../../sharing/permissions.js';
import type { Permission } from '../../sharing/permissions.js';
import {
  DryRunRollback,
  duplicates,
  emptyReport,
  envelope,
  ImportOptions,
  ImportReport,
  itemsOf,
  note,
  readImportFile,
  recordsOf,
  TransferError,
} from './export-format.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

interface ValidShare {
  id: string;
  ownerId: string;
  granteeId: string;
  thumbprint: string;
  serverName: string;
  libraryId: string | null;
  libraryName: string | null;
  permission: Permission;
  source: 'direct' | 'invite';
  expiresAt: number | null;
  createdAt: number;
}

/**
 * `share:export` / `share:import`. Shares name their server by key thumbprint (stable across hubs),
 * their people by account id (kept by user:import). A share whose server has not been re-claimed
 * here by its owner yet is rejected with that reason; re-run the import after the re-claim.
 */
@Injectable()
export class ShareTransferService {
  constructor(
    private readonly shares: ShareTransferStore,
    private readonly users: UsersService,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Live shares only (not revoked, not expired, server still owned by the share's owner). */
  async exportAll() {
    const now = this.clock.now();
    const rows = await this.shares.liveShares(now);
    const items = rows.map((r) => ({
      id: r.id,
      owner_id: r.owner_id,
      owner_username: r.owner_username ?? null,
      grantee_id: r.grantee_id,
      grantee_username: r.grantee_username ?? null,
      server_id: r.server_id,
      server_key_thumbprint: r.thumb,
      server_name: r.server_name,
      library_id: r.library_id ?? null,
      library_name: r.library_name ?? null,
      permission: r.permission,
      source: r.source,
      expires_at: iso(r.expires_at === null ? null : Number(r.expires_at)),
      created_at: iso(Number(r.created_at)),
    }));
    await this.audit.record({
      action: 'cli.shares_exported',
      actorType: 'cli',
      targetType: 'hub',
      targetId: this.cfg.hub.id,
      details: { count: items.length },
    });
    return envelope('shares', this.cfg.hub.id, now, items);
  }

  async importFile(path: string, opts: ImportOptions): Promise<ImportReport> {
    return this.import(readImportFile(path), opts);
  }

  async import(doc: unknown, opts: ImportOptions): Promise<ImportReport> {
    if (opts.hub !== this.cfg.hub.id) {
      throw new TransferError(
        `--hub "${opts.hub}" is not this hub (this hub's HUB_ID is "${this.cfg.hub.id}"); refusing to import`,
      );
    }
    const valid = this.validate(itemsOf(doc, 'shares'));
    const report = emptyReport('shares', opts, valid.length);
    try {
      await this.shares.transaction(async (shares) => {
        const now = this.clock.now();
        const userIds = [...new Set(valid.flatMap((s) => [s.ownerId, s.granteeId]))];
        const users = new Map<string, User>();
        for (let i = 0; i < userIds.length; i += 500) {
          for (const u of await this.users.findByIds(userIds.slice(i, i + 500))) users.set(u.id, u);
        }
        for (const s of valid) {
          const rec = `${s.id} (${s.serverName}${s.libraryName ? ` / ${s.libraryName}` : ''})`;
          if (s.expiresAt !== null && s.expiresAt <= now) {
            note(report, rec, 'skipped', 'expired');
            continue;
          }
          if (await shares.shareExists(s.id)) {
            note(report, rec, 'skipped', 'already on this hub (same share id)');
            continue;
          }
          const owner = users.get(s.ownerId);
          const grantee = users.get(s.granteeId);
          if (!owner) {
            note(report, rec, 'rejected', 'the owner is not on this hub (run user:import first)');
            continue;
          }
          if (!grantee) {
            note(report, rec, 'rejected', 'the recipient is not on this hub (shares cannot cross hubs)');
            continue;
          }
          const serverId = await shares.ownedServerId(s.thumbprint, owner.id);
          if (!serverId) {
            note(
              report,
              rec,
              'rejected',
              `the server is not claimed on this hub by ${owner.username} yet; re-run share:import after it is re-claimed`,
            );
            continue;
          }
          if (s.libraryId !== null) {
            const libs = await shares.libraryIds(serverId);
            if (libs.length && !libs.includes(s.libraryId)) {
              note(report, rec, 'rejected', 'the server no longer reports this library');
              continue;
            }
          }
          const key = scopeKey(serverId, grantee.id, s.libraryId);
          // a slot held by an expired share, or one from before the server changed hands, is free
          await shares.freeStaleSlot(key, now, owner.id);
          if (await shares.slotTaken(key)) {
            note(report, rec, 'skipped', 'the recipient already has this share here');
            continue;
          }
          await shares.insert({
            id: s.id,
            ownerId: owner.id,
            granteeId: grantee.id,
            serverId,
            libraryId: s.libraryId,
            libraryName: s.libraryName,
            permission: s.permission,
            source: s.source,
            activeKey: key,
            expiresAt: s.expiresAt,
            createdAt: s.createdAt,
            updatedAt: now,
          });
          report.created++;
        }
        if (opts.dryRun) throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
    if (!opts.dryRun) {
      await this.audit.record({
        action: 'cli.shares_imported',
        actorType: 'cli',
        targetType: 'hub',
        targetId: this.cfg.hub.id,
        details: { created: report.created, skipped: report.skipped, rejected: report.rejected },
      });
    }
    return report;
  }

  private validate(items: unknown[]): ValidShare[] {
    const { checkers, problems } = recordsOf(items, 'shares');
    const out: ValidShare[] = [];
    for (const c of checkers) {
      const id = c.str('id', { max: 36, re: UUID_RE, what: 'a UUID' });
      const ownerId = c.str('owner_id', { max: 36, re: UUID_RE, what: 'a UUID' });
      const granteeId = c.str('grantee_id', { max: 36, re: UUID_RE, what: 'a UUID' });
      const thumb = c.str('server_key_thumbprint', { max: 64, re: /^[A-Za-z0-9_=+/-]+$/, what: 'a key thumbprint' });
      const serverName = c.str('server_name', { max: 128, min: 0, nullable: true });
      const libraryId = c.str('library_id', { max: 191, nullable: true });
      const libraryName = c.str('library_name', { max: 255, min: 0, nullable: true });
      const permission = c.oneOf('permission', PERMISSIONS);
      const source = c.oneOf('source', ['direct', 'invite'] as const);
      const expiresAt = c.date('expires_at', true);
      const createdAt = c.date('created_at');
      problems.push(...c.problems);
      if (!c.problems.length) {
        out.push({
          id: id!.toLowerCase(),
          ownerId: ownerId!.toLowerCase(),
          granteeId: granteeId!.toLowerCase(),
          thumbprint: thumb!,
          serverName: serverName ?? '',
          libraryId,
          libraryName,
          permission: permission!,
          source: source!,
          expiresAt,
          createdAt: createdAt!,
        });
      }
    }
    if (!problems.length) {
      problems.push(
        ...duplicates(
          out.map((s) => s.id),
          'shares',
          'id',
        ),
        ...duplicates(
          out.map((s) => `${s.thumbprint} → ${s.granteeId} : ${s.libraryId ?? '(whole server)'}`),
          'shares',
          'share of the same library to the same recipient',
        ),
      );
    }
    if (problems.length) {
      throw new TransferError(
        `the shares file is invalid (${problems.length} problem${problems.length > 1 ? 's' : ''}; nothing was imported)`,
        problems,
      );
    }
    return out;
  }
}
