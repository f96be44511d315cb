import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { every, type PeriodicJob } from '../../common/periodic.js';
import { ServerVerifier } from '../../common/server-verifier.js';
import { HubEvents } from '../../common/hub-events.js';
import type { RelayPresence } from '../../common/relay-presence.js';
import { AccessService } from '../../sharing/access.service.js';
import { RelaySessionsService } from '../relay-sessions.service.js';
import { Tunnel, type TunnelHost } from './tunnel.js';
import type { StreamCarrier } from './types.js';
import { LiveStreams } from './live-streams.js';
import { auditRejection, runHandshake } from './handshake.js';
import { AuditService } from '../../audit/audit.service.js';
import { TunnelDirectory } from '../../common/ports/tunnel-directory.port.js';
import { PresenceSync } from './presence-sync.js';
import { StreamLeasesService } from '../limits/stream-leases.service.js';
import { TunnelDrain } from './tunnel-drain.js';

export { HUB_DRAINING, HUB_DRAINING_CODE } from './tunnel-drain.js';

export type { AccessCheckedStream } from './live-streams.js';

/** Raw client channels riding the tunnels (implemented in src/relay/client). */
export interface TunnelChannelHandler {
  onChannelData(t: Tunnel, channelId: number, payload: Buffer): void;
  onChannelClose(t: Tunnel, channelId: number, payload: Buffer): void;
  onTunnelClosed(t: Tunnel, reason: string): void;
}

/**
 * The live tunnel registry of this process: which server has which tunnel, handshakes
 * (park → verify → promote), heartbeats, the idle reaper, stream timeouts, relay_sessions
 * bookkeeping, and the RelayPresence the rest of the hub uses (bound in RelayModule).
 */
@Injectable()
export class TunnelRegistry implements RelayPresence, OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RelayRegistry');
  private readonly active = new Map<string, Tunnel>();
  /** handshaking and draining (replaced) tunnels */
  private readonly others = new Set<Tunnel>();
  /** every stream of this process: on local tunnels and on carriers for other replicas */
  private readonly streams: LiveStreams;
  private timers: PeriodicJob[] = [];
  private started = false;
  private channels?: TunnelChannelHandler;
  private stopping = false;
  private readonly drainer: TunnelDrain;
  private readonly presence: PresenceSync;

  constructor(
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly verifier: ServerVerifier,
    private readonly events: HubEvents,
    private readonly sessions: RelaySessionsService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly scheduler: SchedulerRegistry,
    private readonly directory: TunnelDirectory,
    private readonly leases: StreamLeasesService,
  ) {
    this.streams = new LiveStreams((serverId) => this.tunnelsOf(serverId), access);
    this.presence = new PresenceSync(directory, {
      current: (serverId) => this.active.get(serverId),
      retire: (t) => this.retireActive(t),
      warn: (m) => this.log.warn(m),
    });
    this.drainer = new TunnelDrain({
      all: () => [...this.tunnelsOf()],
      pending: () => [...this.others].filter((t) => t.state === 'pending'),
      closeAndRecord: (t, reason, code) => this.closeAndRecord(t, reason, code),
    });
  }

  onModuleInit(): void {
    this.events.onAnywhere('server.released', (p) => this.closeTunnel(p.serverId, 'server_released'));
    this.events.onAnywhere('server.enrollment_changed', (p) => this.closeTunnel(p.serverId, 'enrollment_changed'));
    this.events.onAnywhere('user.disabled', (p) => this.endLocalUserStreams(p.userId));
    this.events.onAnywhere('user.deleted', (p) => this.endLocalUserStreams(p.userId));
    this.events.onAnywhere('relay.streams_ended', (p) => this.endLocalUserStreams(p.userId, p.serverId, p.reason));
    this.events.onAnywhere('share.changed', (p) => this.recheckStreams(p.granteeId, p.serverId));
    this.presence.listen();
  }

  /** Start timers and reconcile orphaned sessions (only in a process that serves HTTP). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const n = await this.sessions.reconcile(this.staleMs);
    if (n) this.log.log(`closed ${n} orphaned relay session(s)`);
    const onError = (e: Error) => this.log.error(`timer: ${e.message}`);
    this.timers.push(
      every(
        this.scheduler,
        'relay.tunnel-heartbeat',
        this.cfg.relay.heartbeatIntervalSeconds * 1000,
        () => this.heartbeatTick(),
        onError,
      ),
      every(
        this.scheduler,
        'relay.tunnel-reap',
        this.cfg.relay.reapIntervalSeconds * 1000,
        () => this.reapIdle(),
        onError,
      ),
      every(this.scheduler, 'relay.stream-tick', 1000, () => this.streamTick(), onError),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) t.stop();
    this.timers = [];
    const all = [...this.active.values(), ...this.others];
    const closing = all.map((t) => this.closeAndRecord(t, 'server_shutdown', 1001));
    await Promise.all(closing);
  }

  private get staleMs(): number {
    return Math.max(3 * this.cfg.relay.idleTimeoutSeconds, 180) * 1000;
  }

  // ---- connections ----------------------------------------------------------------

  /** A WebSocket that passed the connect rate limit: park it until its HELLO verifies. */
  accept(ws: WebSocket, req: IncomingMessage, remoteIp: string): Tunnel {
    const host: TunnelHost = {
      now: () => this.clock.now(),
      onHello: (t, text) => void this.handshake(t, text, req),
      onClosed: (t, reason) => this.onClosed(t, reason),
      onChannelData: (t, id, payload) => this.channels?.onChannelData(t, id, payload),
      onChannelClose: (t, id, payload) => this.channels?.onChannelClose(t, id, payload),
    };
    const t = new Tunnel(ws, remoteIp, host);
    this.others.add(t);
    if (this.stopping) {
      t.close('server_shutdown', 1001);
    } else {
      t.later(this.cfg.relay.helloTimeoutSeconds * 1000, () => t.state === 'pending' && t.close('hello_timeout', 1008));
    }
    return t;
  }

  private async handshake(t: Tunnel, text: Buffer, req: IncomingMessage): Promise<void> {
    try {
      await runHandshake(
        t,
        text,
        req,
        {
          verifier: this.verifier,
          sessions: this.sessions,
          responseWindow: this.cfg.relay.streamBufferBytes,
          onRejected: auditRejection(this.audit),
        },
        (nt) => this.promote(nt),
      );
    } catch (e) {
      this.log.error(`handshake failed: ${(e as Error).message}`);
      t.close('tunnel_init_failed', 1011);
    }
  }

  private promote(t: Tunnel): void {
    const serverId = t.serverId!;
    this.others.delete(t);
    const incumbent = this.active.get(serverId);
    // Rows of tunnels this node holds (the incumbent included, even if retire() closes it at
    // once) are recorded by onClosed with their own reason; supersede only what nobody here owns.
    const keep = [...this.tunnelsOf(serverId)].map((x) => x.sessionId).filter((x): x is string => !!x);
    if (t.sessionId) keep.push(t.sessionId);
    this.active.set(serverId, t);
    if (incumbent && incumbent !== t) {
      this.others.add(incumbent);
      incumbent.retire(this.cfg.relay.drainGraceMs);
    }
    void this.sessions.supersede(serverId, keep);
    this.presence.claim(t);
  }

  /** A newer tunnel of this server verified on another replica: ours serves what it has, then goes. */
  private retireActive(t: Tunnel): void {
    if (this.active.get(t.serverId!) !== t) return;
    this.active.delete(t.serverId!);
    this.others.add(t);
    t.retire(this.drainer.retireGraceMs(this.cfg.relay.drainGraceMs));
  }

  /** Who serves raw client channels (src/relay/client); without one, channel frames are dropped. */
  setChannelHandler(h: TunnelChannelHandler): void {
    this.channels = h;
  }

  private onClosed(t: Tunnel, reason: string): void {
    this.channels?.onTunnelClosed(t, reason);
    this.others.delete(t);
    if (t.serverId && this.active.get(t.serverId) === t) this.active.delete(t.serverId);
    this.presence.release(t);
    if (t.sessionId) void this.sessions.close(t.sessionId, reason, this.counters(t));
  }

  private async closeAndRecord(t: Tunnel, reason: string, code: number): Promise<void> {
    const sessionId = t.sessionId;
    const counters = this.counters(t);
    t.sessionId = null; // record here, awaited, instead of fire-and-forget in onClosed
    t.close(reason, code);
    if (sessionId) await this.sessions.close(sessionId, reason, counters);
  }

  private counters(t: Tunnel) {
    return { bytesIn: t.bytesIn, bytesOut: t.bytesOut, lastFrameAt: t.lastFrameAt };
  }

  /** The tunnel new streams of a server go to, if any. */
  get(serverId: string): Tunnel | undefined {
    const t = this.active.get(serverId);
    return t && t.state === 'active' ? t : undefined;
  }

  private *tunnelsOf(serverId?: string): Iterable<Tunnel> {
    for (const t of this.active.values()) if (!serverId || t.serverId === serverId) yield t;
    for (const t of this.others) if (t.serverId && (!serverId || t.serverId === serverId)) yield t;
  }

  // ---- timers -----------------------------------------------------------------------

  /** Keep-alive to every tunnel, flush byte counters, close expired or stuck tunnels. */
  async heartbeatTick(): Promise<void> {
    const nowS = this.clock.nowSeconds();
    const stuckMs = this.cfg.relay.idleTimeoutSeconds * 1000;
    for (const t of [...this.tunnelsOf()]) {
      if (t.state === 'closed') continue;
      if (t.jwtExp !== null && t.jwtExp < nowS) {
        t.close('enrollment_expired', 1008);
        continue;
      }
      if (t.congestedSince !== null && this.clock.now() - t.congestedSince > stuckMs && t.congested) {
        t.close('backpressure_timeout', 1011);
        continue;
      }
      t.sendHeartbeat();
      if (t.sessionId) await this.sessions.flush(t.sessionId, this.counters(t));
      if (this.active.get(t.serverId!) === t) await this.presence.refresh(t);
    }
  }

  /** Close tunnels with no inbound frame for longer than the idle timeout; drop stale DB rows. */
  async reapIdle(): Promise<number> {
    const limit = this.cfg.relay.idleTimeoutSeconds * 1000;
    const now = this.clock.now();
    // a tunnel whose reads we paused (slow client, plain protocol) is silent because of us: the
    // stall timeout of the stream that holds it ends that first
    const idle = [...this.tunnelsOf()].filter(
      (t) => t.state !== 'closed' && !t.readsHeld && now - t.lastFrameAt > limit,
    );
    for (const t of idle) t.close('timeout', 1001);
    if (idle.length) this.log.log(`reaped ${idle.length} idle tunnel(s)`);
    const live = new Set([...this.tunnelsOf()].map((t) => t.sessionId).filter((x): x is string => !!x));
    await this.sessions.reapStale(this.staleMs, live);
    return idle.length;
  }

  private streamTick(): void {
    this.streams.tick(Date.now());
  }

  // ---- carriers of streams relayed through another replica ------------------------------

  /** Revocation, timeouts and counts reach the streams of `c` like those of a local tunnel. */
  attachCarrier(c: StreamCarrier): void {
    this.streams.attach(c);
  }

  detachCarrier(c: StreamCarrier): void {
    this.streams.detach(c);
  }

  // ---- drain (SIGTERM, tunnel-drain.ts) ---------------------------------------------------

  /** true once drain() ran: new tunnels are refused with 1012 `hub_draining` */
  get draining(): boolean {
    return this.drainer.draining;
  }

  /** Tell every tunnel to go (DISCONNECTED `hub_draining`) and close each once it carries nothing. */
  drain(untilMs = 0): void {
    this.drainer.drain(untilMs);
  }

  /** The drain deadline: close every tunnel still open; how many the drain closed. */
  finishDrain(): Promise<number> {
    return this.drainer.finish();
  }

  // ---- RelayPresence ------------------------------------------------------------------

  /** connected here or, in cluster mode, on another live replica */
  isActive(serverId: string): boolean {
    return !!this.get(serverId) || this.directory.isLiveAnywhere(serverId);
  }

  async closeTunnel(serverId: string, reason: string): Promise<void> {
    await Promise.all(
      [...this.tunnelsOf(serverId)].map((t) =>
        this.closeAndRecord(t, reason, reason === 'server_shutdown' ? 1001 : 1000),
      ),
    );
  }

  /** `reason`: 'access_revoked' (default) or 'quota_exceeded' (the relay limits). */
  endUserStreams(userId: string, serverId?: string, reason = 'access_revoked'): void {
    // handlers run before emit's first await: the streams here have ended when this returns; in
    // cluster mode the other replicas end theirs as the message reaches them
    void this.events.emit('relay.streams_ended', { userId, serverId, reason });
  }

  private endLocalUserStreams(userId: string, serverId?: string, reason = 'access_revoked'): void {
    this.streams.endUser(userId, serverId, reason);
  }

  /** A share changed: end the grantee's streams that its live grants no longer allow. */
  recheckStreams(userId: string, serverId: string): Promise<void> {
    return this.streams.recheck(userId, serverId);
  }

  activeTunnels(): number {
    return this.active.size;
  }

  liveServerIds(): string[] {
    const ids = new Set<string>();
    for (const t of this.tunnelsOf()) if (t.state !== 'closed') ids.add(t.serverId!);
    return [...ids];
  }

  hubWide(): { tunnels: number; streams: number } {
    if (!this.directory.enabled) return { tunnels: this.activeTunnels(), streams: this.activeStreams() };
    return {
      tunnels: Math.max(this.directory.liveCount(), this.activeTunnels()),
      streams: this.streams.clientCount() + this.leases.remoteCount,
    };
  }

  /** Streams riding this replica's tunnels and carriers (forwarded ones included: a drain waits for them). */
  activeStreams(): number {
    return this.streams.count();
  }
}
