import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HubEvents } from '../common/hub-events.js';
import { RelayPresence } from '../common/relay-presence.js';
import { every, type PeriodicJob } from '../common/periodic.js';
import { UsersService } from '../users/users.service.js';
import { ServersRepository } from './servers.repository.js';

/** how often this process re-checks the servers behind its live tunnels */
export const TUNNEL_RECHECK_MS = 1000;
const CHUNK = 500;

/**
 * Closes tunnels whose server was released, unclaimed or had its enrollment revoked, or whose
 * owner was disabled, by another process (the `server:release` CLI, a second hub process).
 * In-process changes close the tunnel at once through events; this covers the rest within about a
 * second: one indexed query per interval for all live tunnels of this process, none while there are none.
 */
@Injectable()
export class TunnelRevocationService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('TunnelRevocation');
  private job?: PeriodicJob;

  constructor(
    private readonly servers: ServersRepository,
    private readonly users: UsersService,
    private readonly relay: RelayPresence,
    private readonly scheduler: SchedulerRegistry,
    private readonly events: HubEvents,
  ) {}

  onModuleInit(): void {
    // A disabled owner's servers go dark at once (their enrollment is kept: re-enabling lets them back).
    this.events.on('user.disabled', async ({ userId }) => {
      for (const id of await this.servers.idsOwnedBy(userId)) await this.relay.closeTunnel(id, 'owner_disabled');
    });
    this.job = every(
      this.scheduler,
      'servers.tunnel-recheck',
      TUNNEL_RECHECK_MS,
      () => this.sweep(),
      (e) => this.log.warn(`tunnel re-check failed: ${e.message}`),
    );
  }

  onModuleDestroy(): void {
    this.job?.stop();
    this.job = undefined;
  }

  /** Close the live tunnels whose server no longer holds a valid claim + enrollment. Returns how many servers. */
  async sweep(): Promise<number> {
    const live = this.relay.liveServerIds();
    let closed = 0;
    for (let i = 0; i < live.length; i += CHUNK) {
      const ids = live.slice(i, i + CHUNK);
      const rows = await this.servers.enrollmentStates(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const disabled = await this.disabledOwners(rows.map((r) => r.ownerId).filter((o): o is string => o !== null));
      for (const id of ids) {
        const r = byId.get(id);
        const reason =
          !r || r.ownerId === null
            ? 'server_released'
            : r.enrollmentJti === null
              ? 'enrollment_changed'
              : disabled.has(r.ownerId)
                ? 'owner_disabled'
                : null;
        if (!reason) continue;
        closed++;
        await this.relay.closeTunnel(id, reason);
      }
    }
    return closed;
  }

  /** Which of these accounts are disabled (an operator may disable a user on another hub process). */
  private async disabledOwners(ownerIds: string[]): Promise<Set<string>> {
    const unique = [...new Set(ownerIds)];
    if (!unique.length) return new Set();
    const users = await this.users.findByIds(unique);
    return new Set(users.filter((u) => u.disabled).map((u) => u.id));
  }
}
