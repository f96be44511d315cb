import type { AccessService } from '../../sharing/access.service.js';
import type { Tunnel } from './tunnel.js';
import type { StreamCarrier, TunnelStream } from './types.js';

/** A stream the registry can re-check when access changes. */
export interface AccessCheckedStream extends TunnelStream {
  readonly libraryId: string | null;
  readonly action: 'browse' | 'play' | 'download';
  readonly role: 'owner' | 'grantee';
  /** the target lies outside every library of a path-prefix origin: only whole-server grants count */
  readonly wholeServerOnly?: boolean;
}

/**
 * Every relayed stream of this process, wherever it rides: the local tunnels of the registry and
 * the carriers of streams relayed through another replica (cluster mode, src/relay/peer), so
 * revocation, timeouts and counts reach both alike.
 */
export class LiveStreams {
  private readonly carriers = new Set<StreamCarrier>();

  constructor(
    private readonly tunnelsOf: (serverId?: string) => Iterable<Tunnel>,
    private readonly access: Pick<AccessService, 'decide'>,
  ) {}

  attach(c: StreamCarrier): void {
    this.carriers.add(c);
  }

  detach(c: StreamCarrier): void {
    this.carriers.delete(c);
  }

  /** Local tunnels of the server (or all) and the attached carriers of its streams. */
  *of(serverId?: string): Iterable<StreamCarrier> {
    yield* this.tunnelsOf(serverId);
    for (const c of this.carriers) if (!serverId || c.serverId === serverId) yield c;
  }

  tick(now: number): void {
    for (const t of this.of()) t.forEachStream((s) => s.tick(now));
  }

  endUser(userId: string, serverId: string | undefined, reason: string): void {
    for (const t of this.of(serverId)) t.forEachStream((s) => s.userId === userId && s.terminate(reason));
  }

  /** A share changed: end the grantee's streams that its live grants no longer allow. */
  async recheck(userId: string, serverId: string): Promise<void> {
    const streams: AccessCheckedStream[] = [];
    for (const t of this.of(serverId)) {
      t.forEachStream((s) => s.userId === userId && streams.push(s as AccessCheckedStream));
    }
    for (const s of streams) {
      if (s.role === 'owner' || s.forwarded) continue; // a forwarded stream is judged where it came in
      const d = await this.access.decide(
        userId,
        serverId,
        s.libraryId ?? null,
        s.action ?? 'download',
        s.wholeServerOnly ? 'whole' : 'any',
      );
      if (!d.allowed) s.terminate('access_revoked');
    }
  }

  /** Streams riding this replica's tunnels and carriers (forwarded ones included: a drain waits for them). */
  count(): number {
    let n = 0;
    for (const t of this.of()) n += t.streamCount;
    return n;
  }

  /** Streams of this replica's own clients: one forwarded here from another replica counts there. */
  clientCount(): number {
    let n = 0;
    for (const t of this.of()) t.forEachStream((s) => void (s.forwarded || n++));
    return n;
  }
}
