/** Where a server's tunnel lives in a cluster of hub replicas. */
export interface TunnelLocation {
  /** the replica holding the tunnel (its node id) */
  nodeId: string;
  /** that replica's internal address (HUB_NODE_URL) */
  nodeUrl: string;
  /** connection epoch: a newer verified tunnel of the same server has a greater one */
  epoch: number;
  tunnelId: string;
}

/** A replica's own tunnel was replaced by a newer one (possibly on another replica). */
export type SupersededListener = (serverId: string, epoch: number, tunnelId: string) => void;

/**
 * The cluster-wide table of live tunnels (a port bound by the cluster module): in cluster mode it
 * lives in Redis with a TTL, without cluster mode it is empty and every call is local only.
 */
export abstract class TunnelDirectory {
  /** true in cluster mode (HUB_REDIS_URL set) */
  abstract readonly enabled: boolean;
  /** this replica's node id ('' without cluster mode) */
  abstract readonly nodeId: string;
  /**
   * A tunnel verified here: take the server's entry with a new epoch (the newest verified tunnel
   * wins; the replica holding the previous one is told to retire it). Returns the epoch (0 without cluster mode).
   */
  abstract claim(serverId: string, tunnelId: string): Promise<number>;
  /** Keep the entry alive; false if a newer tunnel took it (this one should retire). */
  abstract refresh(serverId: string, tunnelId: string, epoch: number): Promise<boolean>;
  /** The tunnel closed here: drop the entry if it is still ours. */
  abstract release(serverId: string, tunnelId: string, epoch: number): Promise<void>;
  /** Where the server's tunnel is, if on a live replica (this one included); `fresh` skips any cache. */
  abstract locate(serverId: string, fresh?: boolean): Promise<TunnelLocation | null>;
  /** Known without a round trip: is the server's tunnel up on some live replica? */
  abstract isLiveAnywhere(serverId: string): boolean;
  /** Tunnels on live replicas, as this replica knows them without a round trip. */
  abstract liveCount(): number;
  abstract onSuperseded(listener: SupersededListener): void;
}

/** Single process: no directory; the local registry is the whole truth. */
export class LocalTunnelDirectory extends TunnelDirectory {
  readonly enabled = false;
  readonly nodeId = '';
  async claim(): Promise<number> {
    return 0;
  }
  async refresh(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
  async locate(): Promise<TunnelLocation | null> {
    return null;
  }
  isLiveAnywhere(): boolean {
    return false;
  }
  liveCount(): number {
    return 0;
  }
  onSuperseded(): void {}
}
