import { Injectable } from '@nestjs/common';

/** What the relay module offers the rest of the hub about live tunnels. */
export interface RelayPresenceImpl {
  isActive(serverId: string): boolean;
  /** close the server's tunnel (and its streams) now, with a reason the agent understands */
  closeTunnel(serverId: string, reason: string): Promise<void> | void;
  /** end every relay stream of a user (user disabled / share revoked) */
  endUserStreams?(userId: string, serverId?: string): Promise<void> | void;
  activeTunnels?(): number;
  activeStreams?(): number;
  /** server ids with a live (or draining) tunnel in this process */
  liveServerIds?(): string[];
}

/**
 * Live tunnel registry facade (global). The relay module binds its implementation at start;
 * until then (or when relay is not loaded) nothing is active.
 */
@Injectable()
export class RelayPresence implements RelayPresenceImpl {
  private impl?: RelayPresenceImpl;

  bind(impl: RelayPresenceImpl): void {
    this.impl = impl;
  }
  isActive(serverId: string): boolean {
    return this.impl?.isActive(serverId) ?? false;
  }
  async closeTunnel(serverId: string, reason: string): Promise<void> {
    await this.impl?.closeTunnel(serverId, reason);
  }
  async endUserStreams(userId: string, serverId?: string): Promise<void> {
    await this.impl?.endUserStreams?.(userId, serverId);
  }
  activeTunnels(): number {
    return this.impl?.activeTunnels?.() ?? 0;
  }
  activeStreams(): number {
    return this.impl?.activeStreams?.() ?? 0;
  }
  liveServerIds(): string[] {
    return this.impl?.liveServerIds?.() ?? [];
  }
}
