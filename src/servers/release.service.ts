import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { HubEvents, HubEventMap } from '../common/hub-events.js';
import { RelayPresence } from '../common/relay-presence.js';
import { AuditService, AuditEvent, type AuditAction } from '../audit/audit.service.js';
import { ServersRepository } from './servers.repository.js';
import { LibrariesRepository } from './libraries.repository.js';
import { HeartbeatsRepository } from './heartbeats.repository.js';
import { ClaimsRepository } from './claims.repository.js';

export type ReleaseReason = HubEventMap['server.released']['reason'];

export interface ReleaseActor {
  actorType: NonNullable<AuditEvent['actorType']>;
  actorId?: string | null;
  ip?: string | null;
}

const AUDIT_ACTION: Record<ReleaseReason, AuditAction> = {
  unclaimed: 'server.unclaimed',
  released: 'server.released',
  reclaimed: 'server.reclaimed',
  deregistered: 'server.deregistered',
};

/**
 * Ending a server's association with its owner: unclaim (owner), release (admin / CLI / owner
 * deleted), deregister (the server itself) and the old claim ending on re-claim. The media on the
 * server is never touched: only the hub side (owner, enrollment, tunnel, shares, history) ends.
 */
@Injectable()
export class ServerReleaseService implements OnModuleInit {
  private readonly log = new Logger('ServerRelease');

  constructor(
    private readonly servers: ServersRepository,
    private readonly libraries: LibrariesRepository,
    private readonly heartbeats: HeartbeatsRepository,
    private readonly claims: ClaimsRepository,
    private readonly events: HubEvents,
    private readonly relay: RelayPresence,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // A deleted account releases its servers (their shares end through server.released).
    this.events.on('user.deleted', async ({ userId }) => {
      const owned = await this.servers.ownedBy(userId);
      for (const s of owned) {
        try {
          await this.release(s.id, { expectedOwnerId: userId, reason: 'released' }, { actorType: 'system' });
        } catch (e) {
          if (!(e instanceof HubError)) throw e;
        }
      }
    });
  }

  /**
   * Release atomically: one conditional UPDATE (only while owned, by `expectedOwnerId` if given),
   * so concurrent releases have exactly one winner; the loser gets 404 / 409.
   */
  async release(
    serverId: string,
    opts: { expectedOwnerId?: string; reason: ReleaseReason },
    actor: ReleaseActor,
  ): Promise<{ server_id: string; previous_owner_id: string; released: true }> {
    const s = await this.servers.findById(serverId);
    if (!s || (opts.expectedOwnerId && s.ownerId !== opts.expectedOwnerId)) {
      throw new HubError('server.not_found', 'No such server');
    }
    if (!s.ownerId) throw new HubError('server.not_claimed', 'This server is not claimed');
    const owner = s.ownerId;
    const now = this.clock.now();
    if (!(await this.servers.releaseIfOwner(serverId, owner, now))) {
      throw new HubError('server.not_found', 'No such server');
    }
    await this.clearHistory(serverId);
    // An undelivered claim for this server must not hand out an enrollment later.
    await this.claims.deleteUndeliveredOf(serverId);
    await this.afterOwnerEnded(serverId, owner, opts.reason, actor);
    return { server_id: serverId, previous_owner_id: owner, released: true };
  }

  /** Tunnel closed, shares ended (server.released), audited. Also used when a re-claim moves a server. */
  async afterOwnerEnded(
    serverId: string,
    previousOwnerId: string,
    reason: ReleaseReason,
    actor: ReleaseActor,
  ): Promise<void> {
    try {
      await this.relay.closeTunnel(serverId, `server.${reason}`);
    } catch (e) {
      this.log.warn(`closing the tunnel of ${serverId} failed: ${(e as Error).message}`);
    }
    await this.events.emit('server.released', { serverId, previousOwnerId, reason });
    await this.audit.record({
      action: AUDIT_ACTION[reason],
      actorType: actor.actorType,
      actorId: actor.actorId ?? null,
      targetType: 'server',
      targetId: serverId,
      ip: actor.ip ?? null,
      details: { previous_owner_id: previousOwnerId, reason },
    });
  }

  /** Heartbeat history and the library cache belong to one ownership: a new owner starts clean. */
  async clearHistory(serverId: string): Promise<void> {
    await this.heartbeats.deleteOf(serverId);
    await this.libraries.deleteOf(serverId);
  }
}
