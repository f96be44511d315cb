import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SchedulerRegistry } from '@nestjs/schedule';
import { In, Repository } from 'typeorm';
import { HubEvents } from '../common/hub-events.js';
import { RelayPresence } from '../common/relay-presence.js';
import { every, type PeriodicJob } from '../common/periodic.js';
import { Server } from './entities/server.entity.js';

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
  private running = false;

  constructor(
    @InjectRepository(Server) private readonly servers: Repository<Server>,
    private readonly relay: RelayPresence,
    private readonly scheduler: SchedulerRegistry,
    private readonly events: HubEvents,
  ) {}

  onModuleInit(): void {
    // A disabled owner's servers go dark at once (their enrollment is kept: re-enabling lets them back).
    this.events.on('user.disabled', async ({ userId }) => {
      const owned = await this.servers.find({ select: { id: true }, where: { ownerId: userId } });
      for (const s of owned) await this.relay.closeTunnel(s.id, 'owner_disabled');
    });
    this.job = every(this.scheduler, 'servers.tunnel-recheck', TUNNEL_RECHECK_MS, () => this.tick(), (e) => this.log.warn(`tunnel re-check failed: ${e.message}`));
  }

  onModuleDestroy(): void {
    this.job?.stop();
    this.job = undefined;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep();
    } catch (e) {
      this.log.warn(`tunnel re-check failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** Close the live tunnels whose server no longer holds a valid claim + enrollment. Returns how many servers. */
  async sweep(): Promise<number> {
    const live = this.relay.liveServerIds();
    let closed = 0;
    for (let i = 0; i < live.length; i += CHUNK) {
      const ids = live.slice(i, i + CHUNK);
      const rows = await this.servers.find({ where: { id: In(ids) }, select: { id: true, ownerId: true, enrollmentJti: true } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      const disabled = await this.disabledOwners(rows.map((r) => r.ownerId).filter((o): o is string => o !== null));
      for (const id of ids) {
        const r = byId.get(id);
        const reason = !r || r.ownerId === null ? 'server_released'
          : r.enrollmentJti === null ? 'enrollment_changed'
            : disabled.has(r.ownerId) ? 'owner_disabled' : null;
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
    const rows: { id: string }[] = await this.servers.query(
      `SELECT id FROM users WHERE disabled = 1 AND id IN (${unique.map(() => '?').join(', ')})`, unique);
    return new Set(rows.map((r) => r.id));
  }
}
