/**
 * What the rest of the hub may know and ask about live tunnels (a port). Declared here because
 * servers, admin, metrics, federation and shutdown all consume it; the relay module binds it to
 * its tunnel registry (`{ provide: RelayPresence, useExisting: TunnelRegistry }`).
 */
export abstract class RelayPresence {
  abstract isActive(serverId: string): boolean;
  /** close the server's tunnel (and its streams) now, with a reason the agent understands */
  abstract closeTunnel(serverId: string, reason: string): Promise<void> | void;
  /** end every relay stream of a user (user disabled / share revoked) */
  abstract endUserStreams(userId: string, serverId?: string): Promise<void> | void;
  abstract activeTunnels(): number;
  abstract activeStreams(): number;
  /** server ids with a live (or draining) tunnel in this process */
  abstract liveServerIds(): string[];
  /** tunnels and relay streams of the whole hub: every replica's in cluster mode (streams at most a second old) */
  abstract hubWide(): { tunnels: number; streams: number };
}
