import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../common/auth.decorators.js';
import { SharingStore } from './sharing-store.js';
import { SharesRepository } from './shares.repository.js';
import { InvitesRepository } from './invites.repository.js';
import { SharesService } from './shares.service.js';
import { InvitesService } from './invites.service.js';
import type { AdminListSharingQuery } from './dto/admin-sharing.dto.js';

/** Admin views of every share and invite link, with revoke. */
@Injectable()
export class SharingAdminService {
  constructor(
    private readonly store: SharingStore,
    private readonly shareRows: SharesRepository,
    private readonly inviteRows: InvitesRepository,
    private readonly shares: SharesService,
    private readonly invites: InvitesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** status=active (default): live shares only; status=all: also expired and ended ones. */
  async listShares(q: AdminListSharingQuery) {
    return this.shareRows.adminPage(q, async (rows) => {
      const ctx = await this.store.context(rows);
      return rows.map((r) => this.store.shareView(r, ctx));
    });
  }

  async revokeShare(admin: AuthUser, id: string, ip: string): Promise<void> {
    const sh = await this.shareRows.findById(id);
    if (!sh || sh.revokedAt !== null) throw new HubError('share.not_found', 'No such share');
    await this.shares.end([sh], 'admin_revoked');
    await this.audit.record({
      action: 'admin.share_revoked',
      actorType: 'admin',
      actorId: admin.id,
      targetType: 'share',
      targetId: id,
      ip,
      details: { server_id: sh.serverId, owner_id: sh.ownerId, grantee_id: sh.granteeId },
    });
  }

  /** status=active (default): usable links (not revoked, expired or used up); status=all: every link. */
  async listInvites(q: AdminListSharingQuery) {
    return this.inviteRows.adminPage(q, this.clock.now(), async (rows) => {
      const ctx = await this.store.context(rows);
      return rows.map((r) => this.store.inviteView(r, ctx));
    });
  }

  async revokeInvite(admin: AuthUser, id: string, ip: string): Promise<void> {
    const inv = await this.inviteRows.findById(id);
    if (!inv || inv.revokedAt !== null) throw new HubError('invite.not_found', 'No such invite link');
    await this.invites.revokeRow(inv);
    await this.audit.record({
      action: 'admin.invite_revoked',
      actorType: 'admin',
      actorId: admin.id,
      targetType: 'invite_link',
      targetId: id,
      ip,
      details: { server_id: inv.serverId, owner_id: inv.ownerId },
    });
  }
}
