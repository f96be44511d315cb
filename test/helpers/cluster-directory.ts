import { TunnelDirectory, type TunnelLocation } from '../../src/common/ports/tunnel-directory.port.js';

/** The cluster-wide table several in-process hubs share (what Redis holds in production). */
export class MemoryDirectoryStore {
  readonly entries = new Map<string, { nodeId: string; epoch: number; tunnelId: string }>();
  /** node id → its internal URL (known once the hub listens) */
  readonly nodes = new Map<string, string>();
  epoch = 0;

  location(serverId: string): TunnelLocation | null {
    const e = this.entries.get(serverId);
    const nodeUrl = e && this.nodes.get(e.nodeId);
    return e && nodeUrl ? { ...e, nodeUrl } : null;
  }
}

/** One replica's view of the shared table; `cache` stands in for a stale local cache (non-fresh look-ups). */
export class MemoryTunnelDirectory extends TunnelDirectory {
  readonly enabled = true;
  readonly cache = new Map<string, TunnelLocation | null>();
  readonly lookups: { serverId: string; fresh: boolean }[] = [];

  constructor(
    readonly store: MemoryDirectoryStore,
    readonly nodeId: string,
  ) {
    super();
  }

  async claim(serverId: string, tunnelId: string): Promise<number> {
    const epoch = ++this.store.epoch;
    this.store.entries.set(serverId, { nodeId: this.nodeId, epoch, tunnelId });
    return epoch;
  }

  async refresh(serverId: string, tunnelId: string): Promise<boolean> {
    return this.store.entries.get(serverId)?.tunnelId === tunnelId;
  }

  async release(serverId: string, tunnelId: string): Promise<void> {
    if (this.store.entries.get(serverId)?.tunnelId === tunnelId) this.store.entries.delete(serverId);
  }

  async locate(serverId: string, fresh = false): Promise<TunnelLocation | null> {
    this.lookups.push({ serverId, fresh });
    if (!fresh && this.cache.has(serverId)) return this.cache.get(serverId)!;
    return this.store.location(serverId);
  }

  isLiveAnywhere(serverId: string): boolean {
    return this.store.entries.has(serverId);
  }

  liveCount(): number {
    return this.store.entries.size;
  }

  onSuperseded(): void {}
}
