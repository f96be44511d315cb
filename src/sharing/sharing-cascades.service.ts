import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { HubEvents } from '../common/hub-events.js';
import { AuditService } from '../audit/audit.service.js';
import { SharesRepository } from './shares.repository.js';
import { InvitesRepository } from './invites.repository.js';
import { SharesService } from './shares.service.js';

/**
 * Sharing follows the lives of servers and users:
 *  - server.released (unclaim, admin release, re-claim, deregister): its shares end (soft, kept as history)
 *    and its invite links are revoked.
 *  - user.deleted: every share to or from the user and every invite link they made is deleted outright
 *    (the account is gone; the audit log keeps the history).
 * Every ended grant emits share.changed so the relay can cut live streams.
 */
@Injectable()
export class SharingCascades implements OnModuleInit {
  private readonly log = new Logger('SharingCascades');

  constructor(
    private readonly shareRows: SharesRepository,
    private readonly invites: InvitesRepository,
    private readonly shares: SharesService,
    private readonly events: HubEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on('server.released', (p) => this.serverReleased(p.serverId, p.reason));
    this.events.on('user.deleted', (p) => this.userDeleted(p.userId));
  }

  async serverReleased(serverId: string, reason: string): Promise<void> {
    const rows = await this.shareRows.unrevokedOfServer(serverId);
    const ended = await this.shares.end(rows, 'server_released');
    const now = this.clock.now();
    const revoked = await this.invites.revokeAllOfServer(serverId, now);
    if (ended || revoked) {
      this.log.log(`server ${serverId} ${reason}: ended ${ended} share(s), ${revoked} invite link(s)`);
      await this.audit.record({
        action: 'share.server_released',
        actorType: 'system',
        targetType: 'server',
        targetId: serverId,
        details: { reason, shares_ended: ended, invites_revoked: revoked },
      });
    }
  }

  async userDeleted(userId: string): Promise<void> {
    const rows = await this.shareRows.touching(userId);
    const live = rows.filter((s) => s.revokedAt === null);
    if (rows.length) {
      await this.shareRows.deleteTouching(userId);
    }
    const deleted = await this.invites.deleteOfOwner(userId);
    await this.shares.changed(live);
    if (rows.length || deleted) {
      await this.audit.record({
        action: 'share.user_deleted',
        actorType: 'system',
        targetType: 'user',
        targetId: userId,
        details: { shares_deleted: rows.length, live_shares_ended: live.length, invites_deleted: deleted },
      });
    }
  }
}
