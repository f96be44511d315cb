import { Injectable, Logger } from '@nestjs/common';

/**
 * In-process domain events between feature modules, so features stay decoupled
 * (e.g. sharing ends shares when a server is released; relay closes its tunnel).
 * Handlers are awaited in registration order; a failing handler is logged, not rethrown.
 */
export interface HubEventMap {
  /** a user account is about to be deleted (handlers remove what the user owns / was granted) */
  'user.deleted': { userId: string };
  /** a user was disabled by an admin: sessions and relay streams must end */
  'user.disabled': { userId: string };
  /** a server lost its hub association (unclaim by owner, admin release, re-claim, deregister) */
  'server.released': {
    serverId: string;
    previousOwnerId: string | null;
    reason: 'unclaimed' | 'released' | 'reclaimed' | 'deregistered';
  };
  /** a server's enrollment was rotated or revoked (tunnel must re-authenticate) */
  'server.enrollment_changed': { serverId: string };
  /** a server's heartbeat was recorded: what it reports (capabilities, libraries) may have changed */
  'server.heartbeat': { serverId: string };
  /** every relay stream of a user (on one server, if given) must end: a peer hub blocked, a quota spent */
  'relay.streams_ended': { userId: string; serverId?: string; reason: string };
  /** cluster mode: a replica missed its heartbeats (or stopped); what it held no longer counts */
  'cluster.node_gone': { nodeId: string; lastSeenAt: number; detectedAt: number };
  /** a share was revoked or changed (relay re-checks streams) */
  'share.changed': { serverId: string; granteeId: string };
}

type Handler<K extends keyof HubEventMap> = (p: HubEventMap[K]) => Promise<void> | void;

/** Hands every local event to the other replicas (cluster mode: src/cluster/event-bridge.ts). */
export type EventRelay = <K extends keyof HubEventMap>(event: K, payload: HubEventMap[K]) => void;

@Injectable()
export class HubEvents {
  private readonly log = new Logger('HubEvents');
  private readonly handlers = new Map<keyof HubEventMap, Handler<never>[]>();
  /** handlers that also run for events raised on other replicas */
  private readonly everywhere = new Set<Handler<never>>();
  /** events with at least one such handler: the ones worth telling the other replicas */
  private readonly shared = new Set<keyof HubEventMap>();
  private relay: EventRelay | null = null;

  /** Run `handler` for this event raised in this process (durable work: each change is handled once). */
  on<K extends keyof HubEventMap>(event: K, handler: Handler<K>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(event, list);
  }

  /**
   * Run `handler` for this event raised in this process and, in cluster mode, on any other replica:
   * for what lives in this process's memory only (live streams, caches), never for database writes.
   */
  onAnywhere<K extends keyof HubEventMap>(event: K, handler: Handler<K>): void {
    this.on(event, handler);
    this.everywhere.add(handler as Handler<never>);
    this.shared.add(event);
  }

  /** Does any onAnywhere handler listen to this event? */
  isShared(event: string): event is keyof HubEventMap {
    return this.shared.has(event as keyof HubEventMap);
  }

  /** Cluster mode: where local events go so the other replicas hear them. */
  setRelay(relay: EventRelay | null): void {
    this.relay = relay;
  }

  async emit<K extends keyof HubEventMap>(event: K, payload: HubEventMap[K]): Promise<void> {
    this.relay?.(event, payload);
    await this.run(event, payload, false);
  }

  /** An event raised on another replica: only the onAnywhere handlers run. */
  async deliverRemote<K extends keyof HubEventMap>(event: K, payload: HubEventMap[K]): Promise<void> {
    await this.run(event, payload, true);
  }

  private async run<K extends keyof HubEventMap>(event: K, payload: HubEventMap[K], remote: boolean): Promise<void> {
    for (const h of this.handlers.get(event) ?? []) {
      if (remote && !this.everywhere.has(h)) continue;
      try {
        await (h as Handler<K>)(payload);
      } catch (e) {
        this.log.error(`handler for ${event} failed: ${(e as Error).message}`);
      }
    }
  }
}
