import { FrameType } from '../codec/index.js';
import type { Tunnel } from './tunnel.js';

/** Reason (DISCONNECTED notice and close) when a draining hub lets its tunnels go. */
export const HUB_DRAINING = 'hub_draining';
/** WebSocket close code "service restart": reconnect, to this address, at once */
export const HUB_DRAINING_CODE = 1012;
/** how often a draining tunnel is looked at for its last stream */
const DRAIN_CHECK_MS = 50;

/** What the drain needs from the registry. */
export interface DrainHost {
  /** every tunnel that has (or is verifying) a server: active, retired, handshaking */
  all(): Tunnel[];
  /** handshakes still under way */
  pending(): Tunnel[];
  closeAndRecord(t: Tunnel, reason: string, code: number): Promise<void>;
}

/**
 * A replica shutting down (SIGTERM) stops holding tunnels: it tells every active one DISCONNECTED
 * `{"reason":"hub_draining"}` (our agent opens its next tunnel at once, through the load balancer,
 * to a sibling), then closes each with 1012 `hub_draining` as soon as it carries no stream or
 * client channel. Handshakes still under way are closed at once. finish() closes what is left at
 * the drain deadline, which a tunnel retired meanwhile (its successor verified on another replica)
 * keeps as its grace when that is longer than HUB_RELAY_DRAIN_GRACE_MS.
 */
export class TunnelDrain {
  /** tunnels closed (or closing) by the drain, their session rows being written; null = not draining */
  private closing: Promise<void>[] | null = null;
  private until = 0;

  constructor(private readonly host: DrainHost) {}

  get draining(): boolean {
    return this.closing !== null;
  }

  /** `untilMs`: the drain deadline (epoch ms). */
  drain(untilMs = 0): void {
    if (this.closing) return;
    this.closing = [];
    this.until = untilMs;
    const notice = Buffer.from(JSON.stringify({ reason: HUB_DRAINING }), 'utf8');
    for (const t of this.host.pending()) t.close(HUB_DRAINING, HUB_DRAINING_CODE);
    for (const t of this.host.all()) {
      if (t.state === 'active') t.send(FrameType.DISCONNECTED, 0, notice);
      this.closeWhenIdle(t);
    }
  }

  /** How long a retired tunnel keeps its streams: the drain grace, or while draining up to the deadline. */
  retireGraceMs(graceMs: number): number {
    const left = this.draining ? this.until - Date.now() : 0;
    return Math.max(graceMs, left);
  }

  private closeWhenIdle(t: Tunnel): void {
    if (t.state === 'closed') return;
    if (t.riders > 0) return t.later(DRAIN_CHECK_MS, () => this.closeWhenIdle(t));
    this.closing!.push(this.host.closeAndRecord(t, HUB_DRAINING, HUB_DRAINING_CODE));
  }

  /** The drain deadline: close every tunnel still open; how many the drain closed. */
  async finish(): Promise<number> {
    this.drain();
    for (const t of this.host.all()) {
      if (t.state !== 'closed') this.closing!.push(this.host.closeAndRecord(t, HUB_DRAINING, HUB_DRAINING_CODE));
    }
    await Promise.all(this.closing!);
    return this.closing!.length;
  }
}
