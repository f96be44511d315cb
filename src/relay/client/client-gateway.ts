import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { HubConfig } from '../../config/config.js';
import { HubError } from '../../common/hub-error.js';
import { isUuid } from '../../common/pipes.js';
import { bearerToken } from '../../common/bearer.js';
import { RateLimitService } from '../../common/rate-limit.service.js';
import { RelayGateway } from '../tunnel/gateway.js';
import { TunnelRegistry } from '../tunnel/registry.js';
import type { StreamCarrier } from '../tunnel/types.js';
import { PeerLinks } from '../peer/peer-links.js';
import type { RemoteTunnel } from '../peer/remote-tunnel.js';
import { RelayLimits, type StreamLease } from '../limits/relay-limits.js';
import { CLIENT_PATH_PREFIX, RelayTokensService, type TokenIdentity } from './relay-tokens.service.js';
import { ChannelHub } from './channel-hub.js';
import { ClientChannel } from './client-channel.js';
import { GranteeChannelFilter } from './grantee-channel-filter.js';

/** Largest client WebSocket message (it is cut into 64 KiB DATA frames). */
export const MAX_CLIENT_MESSAGE = 1024 * 1024;
/** Query keys that look like credentials: refused outright (they leak into logs). */
const QUERY_CREDENTIAL = /(^|[?&])(token|access_token|bearer|auth|authorization|jwt|key)=/i;

type Outcome =
  | { ok: { who: TokenIdentity; tunnel: StreamCarrier; lease: StreamLease; remote: RemoteTunnel | null } }
  | { close: [number, string] };

/** Close codes of a refused channel (after the upgrade, like the Phlix hub; the reason names why). */
function closeFor(e: unknown): [number, string] {
  if (e instanceof HubError) {
    if (e.code === 'relay.stream_limit') return [1013, e.code];
    if (e.code === 'relay.quota_exceeded') return [4403, e.code];
    if (e.code === 'relay.rate_limited') return [4429, e.code];
  }
  return [1011, 'internal_error'];
}

/**
 * `GET /api/v1/relay/client/{server_id}` (WebSocket upgrade on the main port): a raw client
 * channel. Order: per-IP connect limit (before anything is read; close 1013) → credentials from
 * `Authorization: Bearer <relay token>` or `Sec-WebSocket-Protocol: bearer, <relay token>` (the
 * 101 echoes only `bearer`; `?token=` style query credentials are refused) → token scoped to
 * this server, user enabled and still allowed (else close 4401) → live tunnel (else 1013
 * server_not_connected) → relay limits (1013 / 4403 / 4429) → CLIENT_CONNECT.
 */
@Injectable()
export class ClientChannelGateway implements OnModuleInit {
  private readonly log = new Logger('RelayClientGateway');
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_CLIENT_MESSAGE,
    clientTracking: false,
    // select `bearer` when offered; never echo anything else (the token rides next to it)
    handleProtocols: (protocols: Set<string>) => (protocols.has('bearer') ? 'bearer' : false),
  });

  constructor(
    private readonly cfg: HubConfig,
    private readonly gateway: RelayGateway,
    private readonly rateLimit: RateLimitService,
    private readonly registry: TunnelRegistry,
    private readonly tokens: RelayTokensService,
    private readonly limits: RelayLimits,
    private readonly channels: ChannelHub,
    private readonly peers: PeerLinks,
  ) {}

  onModuleInit(): void {
    this.gateway.addRoute({
      match: (p) => p.startsWith(CLIENT_PATH_PREFIX),
      handle: (req, socket, head, ip) => this.accept(req, socket, head, ip),
    });
  }

  async accept(req: IncomingMessage, socket: Socket, head: Buffer, ip: string): Promise<void> {
    let limited = false;
    try {
      const { count } = await this.rateLimit.hit(`relay_client:${ip}`, 60);
      limited = count > this.cfg.relay.clientConnectsPerIpPerMinute;
    } catch (e) {
      this.log.error(`client connect limiter failed: ${(e as Error).message}`);
    }
    const outcome: Outcome = limited
      ? { close: [1013, 'rate_limited'] }
      : await this.admit(req).catch((e) => {
          if (!(e instanceof HubError)) {
            this.log.error(`client channel admission failed: ${(e as Error).stack ?? String(e)}`);
          }
          return { close: closeFor(e) };
        });
    if (socket.destroyed) {
      if ('ok' in outcome) {
        outcome.ok.lease.release();
        outcome.ok.remote?.abandon();
      }
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if ('close' in outcome) return ws.close(...outcome.close);
      const { who, tunnel, lease, remote } = outcome.ok;
      if (tunnel.state !== 'active' && tunnel.state !== 'draining') {
        lease.release();
        remote?.abandon();
        return ws.close(1013, 'server_not_connected');
      }
      ws.pause(); // nothing is read before the channel is announced
      const filter = who.role === 'grantee' ? new GranteeChannelFilter() : undefined;
      this.channels.attach(
        new ClientChannel(ws, tunnel, who.userId, tunnel.serverId!, who.tokenId, lease, this.channels, filter),
      );
    });
  }

  private async admit(req: IncomingMessage): Promise<Outcome> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (q >= 0 && QUERY_CREDENTIAL.test(url.slice(q))) return { close: [4401, 'query_credentials_refused'] };
    const serverId = path.slice(CLIENT_PATH_PREFIX.length).replace(/\/$/, '');
    if (!isUuid(serverId)) return { close: [4401, 'unauthorized'] };
    const secret = presentedToken(req);
    const who = secret ? await this.tokens.authenticate(secret, serverId.toLowerCase()) : null;
    if (!who) return { close: [4401, 'unauthorized'] };
    const sid = serverId.toLowerCase();
    // the tunnel here, else (cluster mode) one hop to the replica holding it
    let tunnel: StreamCarrier | undefined = this.registry.get(sid);
    let remote: RemoteTunnel | null = null;
    if (!tunnel) {
      remote = await this.peers.open({ serverId: sid, userId: who.userId, kind: 'channel' });
      if (remote) remote.channels = this.channels;
      tunnel = remote ?? undefined;
    }
    if (!tunnel) return { close: [1013, 'server_not_connected'] };
    try {
      const lease = await this.limits.admit({
        userId: who.userId,
        serverId: sid,
        role: who.role,
        action: 'download',
        method: 'CHANNEL',
        path: '/',
        kind: 'channel',
      });
      return { ok: { who, tunnel, lease, remote } };
    } catch (e) {
      remote?.abandon();
      throw e;
    }
  }
}

/** The relay token from `Authorization: Bearer …` or from `Sec-WebSocket-Protocol: bearer, <token>`. */
export function presentedToken(req: IncomingMessage): string | null {
  const fromHeader = bearerToken(req);
  if (fromHeader) return fromHeader;
  const raw = req.headers['sec-websocket-protocol'];
  if (typeof raw !== 'string') return null;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.includes('bearer')) return null;
  return list.find((p) => p !== 'bearer') ?? null;
}
