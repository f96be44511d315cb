import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { AgentState, jwtExpiry } from './agent-state.js';
import { HubApiError, HubClient } from './hub-client.js';
import { AgentTunnel } from './agent-tunnel.js';
import { Backoff, Sleeper } from './backoff.js';
import { originTarget, type OriginTarget } from './origin-stream.js';
import { channelTargetOf, type ChannelTarget } from './channel-bridge.js';
import { AGENT_CAPABILITIES, type AgentLibrary } from './agent-libraries.js';
import { HUB_DRAINING, reconnectChoice, type TunnelEnd } from './reconnect.js';

export { isFatalClose } from './reconnect.js';

export interface RelayAgentOptions {
  hubUrl: string;
  origin: string;
  dataDir: string;
  claimToken?: string;
  serverName?: string;
  version?: string;
  /** ws(s) URL of the tunnel; default: the hub's /api/v1/relay/tunnel */
  tunnelUrl?: string;
  /**
   * Raw client channels: `host:port` of the TCP endpoint they are bridged to, or 'none'.
   * Default: the origin's own host:port (see channel-bridge.ts).
   */
  channelTarget?: string;
  /** libraries as path prefixes of the origin (reported in heartbeats; the hub enforces library shares with them) */
  libraries?: AgentLibrary[];
  /** the origin treats paths case-insensitively (the hub then compares and sends them lower-cased) */
  caseInsensitive?: boolean;
  /** per-stream credit window offered to the hub; 0 = plain protocol (default 1 MiB) */
  creditWindow?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** HTTP presence heartbeat (default 60 s) */
  heartbeatIntervalMs?: number;
  /** tunnel HEARTBEAT frame (default 30 s) */
  tunnelHeartbeatMs?: number;
  idleTimeoutMs?: number;
  claimPollMs?: number;
  onClaimCode?: (code: string, expiresInSeconds: number) => void;
  log?: (msg: string) => void;
  /** wall clock in ms (tests align it with the hub's clock); default Date.now */
  now?: () => number;
}

/**
 * The whole agent: identity key and enrollment (claimed by printed code or a claim token),
 * presence heartbeats with enrollment renewal, and the tunnel kept up with jittered reconnects.
 * A draining hub (DISCONNECTED `hub_draining`) is met make-before-break: the next tunnel is opened
 * at once while the old one finishes its streams (the hub closes it, or retires it once the new
 * one verifies). Events: 'claim-code' (code, expiresIn), 'enrolled' (serverId), 'tunnel-up'
 * (AgentTunnel), 'tunnel-down' (reason; also when a draining tunnel finally closes), 'revoked' (why).
 */
export class RelayAgent extends EventEmitter {
  readonly state: AgentState;
  readonly hub: HubClient;
  private readonly origin: OriginTarget;
  private readonly channelTarget: ChannelTarget | null;
  private readonly sleeper = new Sleeper();
  private current: AgentTunnel | null = null;
  /** tunnels of a draining hub, still finishing their streams */
  private readonly leaving = new Set<AgentTunnel>();
  private stopped = false;
  private loops: Promise<void>[] = [];
  private renewing: Promise<void> | null = null;
  private readonly startedAt = Date.now();
  private readonly log: (msg: string) => void;

  constructor(private readonly o: RelayAgentOptions) {
    super();
    this.log = o.log ?? (() => undefined);
    this.state = AgentState.open(o.dataDir);
    this.hub = new HubClient(o.hubUrl);
    this.origin = originTarget(o.origin);
    this.channelTarget = channelTargetOf(o.channelTarget, this.origin.url);
    const enrolledHub = this.state.data.hub_base_url;
    if (this.state.enrolled && enrolledHub && !sameHub(enrolledHub, o.hubUrl) && !sameHub(enrolledHub, this.hub.base)) {
      // a hub may advertise a different public URL than the one we dial; only warn
      this.log(`note: enrolled with ${enrolledHub}, connecting through ${o.hubUrl}`);
    }
  }

  get tunnel(): AgentTunnel | null {
    return this.current;
  }

  /** Claim this server if it is not enrolled yet. Resolves with the server id. */
  async enroll(): Promise<string> {
    if (this.state.enrolled) return this.state.data.server_id!;
    const poll = this.o.claimPollMs ?? 2000;
    while (!this.stopped) {
      const start = await this.hub.startClaim({
        serverName: this.o.serverName ?? `${hostname()} (phlix-hub agent)`,
        version: this.o.version ?? '0.1.0',
        jwk: this.state.data.public_jwk,
        privateKey: this.state.privateKey(),
        hostnameCandidates: [hostname()],
        claimToken: this.o.claimToken,
      });
      if (start.status !== 'claimed') {
        this.emit('claim-code', start.claimCode, start.expiresIn);
        this.o.onClaimCode?.(start.claimCode, start.expiresIn);
      }
      for (;;) {
        if (this.stopped) throw new Error('agent stopped');
        const r = await this.hub.pollClaim(start.claimId);
        if (r.status === 'claimed') {
          if (!r.enrollmentJwt) throw new Error('the hub delivered this enrollment elsewhere; pair again');
          // the URL we reached the hub on is kept (a hub may advertise a public URL we cannot dial)
          this.state.setEnrollment({
            hubBaseUrl: this.hub.base,
            serverId: r.serverId,
            enrollmentJwt: r.enrollmentJwt,
            hubJwksUrl: r.hubJwksUrl,
            enrolledAt: Date.now(),
          });
          this.emit('enrolled', r.serverId);
          return r.serverId;
        }
        if (r.status === 'expired') break; // a fresh code
        await this.sleeper.sleep(poll);
      }
    }
    throw new Error('agent stopped');
  }

  /** Enroll (if needed), then keep the tunnel and the heartbeats going until stop(). */
  async start(): Promise<void> {
    await this.enroll();
    this.loops = [this.tunnelLoop(), this.heartbeatLoop()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.stop();
    this.current?.close(1000, 'agent_stopped');
    for (const t of this.leaving) t.close(1000, 'agent_stopped');
    await Promise.allSettled(this.loops);
  }

  /** Deregister from the hub (e.g. before moving to another hub) and forget the enrollment. */
  async release(): Promise<void> {
    const { server_id: id, enrollment_jwt: jwt } = this.state.data;
    if (!id || !jwt) throw new Error('this agent is not enrolled with a hub');
    await this.stop();
    try {
      await this.hub.deregister(id, jwt);
    } catch (e) {
      if (!(e instanceof HubApiError && e.revoked)) throw e; // already gone: forget it anyway
    }
    this.state.clearEnrollment();
  }

  private revoke(why: string): void {
    if (this.stopped) return;
    this.log(`enrollment no longer valid (${why}); run the agent again to pair`);
    this.emit('revoked', why);
    void this.stop();
  }

  private async tunnelLoop(): Promise<void> {
    const backoff = new Backoff(this.o.reconnectBaseMs ?? 1000, this.o.reconnectMaxMs ?? 60000);
    while (!this.stopped) {
      await this.renewing?.catch(() => undefined); // reconnect with the token being renewed, not the old one
      const t = this.newTunnel();
      let end: TunnelEnd;
      let upSince = 0;
      try {
        await t.open();
        upSince = Date.now();
        this.current = t; // a tunnel of a draining hub, if any, goes on finishing its streams
        if (this.stopped) t.close(1000, 'agent_stopped');
        this.log(`tunnel up (session ${t.relaySessionId}, ${t.creditMode ? 'credit' : 'plain'} flow control)`);
        this.emit('tunnel-up', t);
        end = await Promise.race([
          t.closed.then((c) => ({ ...c, wasUp: true })),
          t.drainRequested.then(() => this.letGo(t)),
        ]);
      } catch (e) {
        end = { reason: (e as Error).message, wasUp: false };
      }
      if (!this.leaving.has(t)) {
        if (this.current === t) this.current = null;
        this.emit('tunnel-down', end.reason);
      }
      if (this.stopped) break;
      const choice = reconnectChoice(end);
      if (choice === 'stop') return this.revoke(end.reason);
      if (upSince && Date.now() - upSince > 30000) backoff.reset();
      const delay = choice === 'backoff' ? backoff.next() : choice;
      this.log(`tunnel down (${end.reason}); reconnecting in ${delay} ms`);
      await this.sleeper.sleep(delay);
    }
  }

  private newTunnel(): AgentTunnel {
    return new AgentTunnel({
      url: this.o.tunnelUrl ?? this.hub.tunnelUrl(),
      serverId: this.state.data.server_id!,
      enrollmentJwt: this.state.data.enrollment_jwt!,
      origin: this.origin,
      creditWindow: this.o.creditWindow ?? 1024 * 1024,
      heartbeatMs: this.o.tunnelHeartbeatMs ?? 30000,
      helloTimeoutMs: 10000,
      idleTimeoutMs: this.o.idleTimeoutMs ?? 90000,
      log: this.log,
      channelTarget: this.channelTarget,
    });
  }

  /** The hub of `t` is draining: let `t` finish its streams on its own while the loop opens the next tunnel. */
  private letGo(t: AgentTunnel): TunnelEnd {
    this.leaving.add(t);
    this.log(`hub draining; opening a new tunnel while this one finishes ${t.activeStreams} stream(s)`);
    void t.closed.then((c) => {
      this.leaving.delete(t);
      if (this.current === t) this.current = null;
      this.emit('tunnel-down', c.reason);
    });
    return { reason: HUB_DRAINING, wasUp: true };
  }

  private async heartbeatLoop(): Promise<void> {
    const every = this.o.heartbeatIntervalMs ?? 60000;
    while (!this.stopped) {
      try {
        await this.maybeRenew();
        await this.hub.heartbeat(this.state.data.server_id!, this.state.data.enrollment_jwt!, {
          version: this.o.version ?? '0.1.0',
          uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
          activeSessions: this.current?.activeStreams ?? 0,
          hostnameCandidates: [hostname()],
          libraries: this.o.libraries ?? [],
          capabilities: this.o.caseInsensitive
            ? [AGENT_CAPABILITIES.generic, AGENT_CAPABILITIES.caseInsensitive]
            : [AGENT_CAPABILITIES.generic],
        });
      } catch (e) {
        if (e instanceof HubApiError && (e.revoked || e.code === 'auth.enrollment_expired')) {
          return this.revoke(e.code ?? String(e.status));
        }
        this.log(`heartbeat failed: ${(e as Error).message}`);
      }
      await this.sleeper.sleep(every);
    }
  }

  /** Renew the enrollment JWT once less than half of its lifetime is left. */
  private async maybeRenew(): Promise<void> {
    const { iat, exp } = jwtExpiry(this.state.data.enrollment_jwt!);
    if (iat === null || exp === null) return;
    const now = (this.o.now ?? Date.now)() / 1000;
    if (exp - now > (exp - iat) / 2) return;
    this.renewing = this.hub.renew(this.state.data.server_id!, this.state.data.enrollment_jwt!).then((next) => {
      this.state.setJwt(next);
      this.log('enrollment renewed');
    });
    try {
      await this.renewing;
    } finally {
      this.renewing = null;
    }
  }
}

function sameHub(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
