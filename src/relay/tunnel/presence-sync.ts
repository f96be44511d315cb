import type { TunnelDirectory } from '../../common/ports/tunnel-directory.port.js';
import type { Tunnel } from './tunnel.js';

/** What the presence sync needs from the registry. */
export interface PresenceHost {
  /** the tunnel new streams of this server go to here */
  current(serverId: string): Tunnel | undefined;
  /** a newer tunnel of the server verified elsewhere: stop sending new streams to this one */
  retire(t: Tunnel): void;
  warn(message: string): void;
}

/**
 * Cluster mode: keeps the TunnelDirectory in step with this process's verified tunnels. The newest
 * verified tunnel of a server wins wherever it is: a `claimed` message for a newer epoch retires
 * ours, and a heartbeat refresh that finds a newer entry does too (a message lost in a Redis
 * outage). Without cluster mode every call returns at once.
 */
export class PresenceSync {
  /** the epoch each verified tunnel of this process got */
  private readonly epochs = new WeakMap<Tunnel, Promise<number>>();

  constructor(
    private readonly directory: TunnelDirectory,
    private readonly host: PresenceHost,
  ) {}

  listen(): void {
    if (!this.directory.enabled) return;
    this.directory.onSuperseded((serverId, epoch, tunnelId) => void this.superseded(serverId, epoch, tunnelId));
  }

  claim(t: Tunnel): void {
    if (!this.directory.enabled) return;
    const p = this.directory.claim(t.serverId!, t.tunnelId);
    this.epochs.set(t, p);
    p.catch((e: Error) => this.host.warn(`presence claim failed: ${e.message}`));
  }

  private async superseded(serverId: string, epoch: number, tunnelId: string): Promise<void> {
    const t = this.host.current(serverId);
    if (!t || t.tunnelId === tunnelId) return;
    const mine = await this.epochs.get(t)?.catch(() => 0);
    if (mine !== undefined && mine > epoch) return; // ours is the newer one
    this.host.retire(t);
  }

  /** Heartbeat of an active tunnel: keep its entry alive (claim again if the first claim failed). */
  async refresh(t: Tunnel): Promise<void> {
    if (!this.directory.enabled) return;
    try {
      const epoch = await this.epochs.get(t)?.catch(() => null);
      if (!epoch) return this.claim(t);
      if (!(await this.directory.refresh(t.serverId!, t.tunnelId, epoch))) this.host.retire(t);
    } catch (e) {
      this.host.warn(`presence refresh failed: ${(e as Error).message}`);
    }
  }

  /** The tunnel closed: drop its entry if it is still the current one. */
  release(t: Tunnel): void {
    const p = this.epochs.get(t);
    if (!p || !t.serverId) return;
    this.epochs.delete(t);
    p.then((epoch) => this.directory.release(t.serverId!, t.tunnelId, epoch)).catch((e: Error) =>
      this.host.warn(`presence release failed: ${e.message}`),
    );
  }
}
