import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../../common/clock.js';
import { HubEvents } from '../../common/hub-events.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { AccessService } from '../../sharing/access.service.js';
import { UsersService } from '../../users/users.service.js';
import { RelayLimits } from '../limits/relay-limits.js';

/** How often the users with open streams here are looked up for changes another process made. */
export const REMOTE_CHANGES_MS = 1000;
/** Each look also covers this much before the previous one (clocks of hub processes differ a little). */
const OVERLAP_MS = 2000;

/**
 * A share revoked or downgraded, or a user disabled, on another hub process changes only the database
 * there: no event reaches this process. Once a second this looks at the users who have relay streams
 * open here, and raises the same in-process events a local change would (`share.changed`,
 * `user.disabled`), so their live streams are judged again within about a second. Read-only and
 * bounded by the streams open here, not by the number of requests.
 */
@Injectable()
export class RemoteChangeWatch implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayRemoteChanges');
  private job?: PeriodicJob;
  private lastLook: number;
  /** users already signalled as disabled (cleared once they are enabled again) */
  private readonly disabled = new Set<string>();

  constructor(
    private readonly limits: RelayLimits,
    private readonly access: AccessService,
    private readonly users: UsersService,
    private readonly events: HubEvents,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.lastLook = clock.now();
  }

  onModuleInit(): void {
    this.job = every(
      this.scheduler,
      'relay.remote-changes',
      REMOTE_CHANGES_MS,
      () => this.look(),
      (e) => this.log.warn(`remote change check failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
  }

  async look(): Promise<void> {
    const ids = this.limits.activeUserIds();
    const now = this.clock.now();
    const since = this.lastLook - OVERLAP_MS;
    this.lastLook = now;
    if (!ids.length) return;
    const [changed, users] = await Promise.all([this.access.sharesChangedSince(ids, since), this.users.findByIds(ids)]);
    for (const c of changed) await this.events.emit('share.changed', { serverId: c.serverId, granteeId: c.granteeId });
    for (const u of users) {
      if (!u.disabled) {
        this.disabled.delete(u.id);
      } else if (!this.disabled.has(u.id)) {
        this.disabled.add(u.id);
        await this.events.emit('user.disabled', { userId: u.id });
      }
    }
  }
}
