import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { HubConfig } from '../../config/config.js';
import { HubError } from '../../common/hub-error.js';
import { isUuid } from '../../common/pipes.js';
import { registerStreamRoutes } from '../../common/stream-routes.js';
import { encodeRequestHead, MAX_PAYLOAD } from '../codec/index.js';
import { TunnelRegistry } from '../tunnel/registry.js';
import type { StreamCarrier } from '../tunnel/types.js';
import { PeerLinks } from '../peer/peer-links.js';
import type { RemoteTunnel } from '../peer/remote-tunnel.js';
import { RelayLimits, type StreamLease } from '../limits/relay-limits.js';
import { parseProxyUrl, PathRejected } from './proxy-rules.js';
import { resolveTarget } from './target-decision.js';
import { AdmissionCache } from './admission-cache.js';
import { buildRequestHeaders } from './proxy-headers.js';
import { RelayHttpStream } from './relay-http-stream.js';
import type { HttpHeaders } from '../codec/index.js';
import type { TargetDecision } from './target-decision.js';

/** Who a relayed request is for, and what it asks of the server. */
export interface RelayAs {
  userId: string;
  serverId: string;
  /** the path as the client sent it (after the path rules) */
  rawPath: string;
  query: string;
}

/** Hooks of other ways into the relay (media links, server origins). */
export interface RelayExtras {
  /** after the access decision, before any limit: throw to refuse */
  judged?: (t: TargetDecision) => void;
  /** the headers going to the server, after the hub's own were set */
  requestHeaders?: (headers: HttpHeaders, rawHeaders: string[]) => void;
  /** the headers going to the client, after the hub's filter (relay-http-stream.ts) */
  responseHeaders?: (headers: Record<string, string | string[]>, fromServer: HttpHeaders) => void;
  /** the stream is open (it ends itself; terminate() ends it early) */
  started?: (stream: RelayHttpStream) => void;
}

export const PROXY_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function contentLengthOf(req: FastifyRequest): number | null {
  if (req.headers['transfer-encoding']) return null;
  const v = req.headers['content-length'];
  return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null;
}

/**
 * `/api/v1/servers/{id}/proxy/*`, every method: HTTP over the server's tunnel for its owner and
 * for grantees within their share: the path is normalised once (path-normalize.ts) and that path
 * is both judged (target-decision.ts: request rules, libraries, AccessService) and sent; a
 * grantee's response is judged again from its head before any body byte (grantee-screen.ts).
 *
 * Registered straight on Fastify in an encapsulated context whose only content-type parser is a
 * catch-all that leaves the body unread, so bodies stream through instead of being parsed (JSON
 * routes elsewhere keep their parsers). Auth: the access JWT via HubAuthGuard.authenticateUser;
 * that answer, the access decision and the origin profile are reused for a second (admission-cache.ts).
 */
@Injectable()
export class RelayProxyRoute implements OnModuleInit {
  private readonly log = new Logger('RelayProxy');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cfg: HubConfig,
    private readonly admission: AdmissionCache,
    private readonly registry: TunnelRegistry,
    private readonly limits: RelayLimits,
    private readonly peers: PeerLinks,
  ) {}

  /** resolveTarget's view of the cached answers */
  private readonly judge = {
    access: { decide: (...a: Parameters<AdmissionCache['decide']>) => this.admission.decide(...a) },
    profiles: { of: (serverId: string) => this.admission.profile(serverId) },
  };

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const fastify = adapter.getInstance<FastifyInstance>();
    registerStreamRoutes(
      fastify,
      PROXY_METHODS,
      ['/api/v1/servers/:id/proxy', '/api/v1/servers/:id/proxy/*'],
      (req, reply) => this.handle(req, reply),
    );
  }

  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      let target;
      try {
        target = parseProxyUrl(req.raw.url ?? '');
      } catch (e) {
        if (e instanceof PathRejected) throw new HubError('relay.bad_path', `The path cannot be relayed: ${e.message}`);
        throw e;
      }
      const user = await this.admission.user(req);
      if (!isUuid(target.serverId)) throw new HubError('server.not_found', 'No such server');
      await this.relay(req, reply, {
        userId: user.id,
        serverId: target.serverId.toLowerCase(),
        rawPath: target.path,
        query: target.query,
      });
    } catch (e) {
      this.sendError(reply, e);
    }
  }

  /**
   * Relay one request for `as.userId` (already authenticated, path already through the path rules)
   * with the same access decision, limits and stream as the proxy route; other ways in (media links,
   * server origins) adjust headers through `x`. Throws before the reply is hijacked.
   */
  async relay(req: FastifyRequest, reply: FastifyReply, as: RelayAs, x: RelayExtras = {}): Promise<void> {
    let lease: StreamLease | undefined;
    let remote: RemoteTunnel | null = null;
    try {
      const { userId, serverId } = as;
      const method = req.raw.method ?? 'GET';
      const t = await resolveTarget(this.judge, {
        userId,
        serverId,
        method,
        rawPath: as.rawPath,
        query: as.query,
        ranged: req.headers.range !== undefined,
      });
      x.judged?.(t);
      const d = t.decision;
      // the tunnel here, else (cluster mode) one hop to the replica holding it
      let tunnel: StreamCarrier | undefined = this.registry.get(serverId);
      if (!tunnel) {
        remote = await this.peers.open({ serverId, userId, kind: 'http' });
        tunnel = remote ?? undefined;
      }
      if (!tunnel) {
        throw new HubError('relay.server_unreachable', 'The server is not connected to the hub', undefined, {
          'Retry-After': '30',
        });
      }
      const effective = t.action;
      lease = await this.limits.admit({ userId, serverId, role: d.role, action: effective, method, path: t.wire });
      const headers = buildRequestHeaders(
        req.raw.rawHeaders,
        { userId, role: d.role, permission: d.permission, libraryIds: d.libraryIds },
        contentLengthOf(req),
      );
      x.requestHeaders?.(headers, req.raw.rawHeaders);
      let headPayload: Buffer;
      try {
        headPayload = encodeRequestHead({ method, path: t.wire, query: as.query, headers }, 'utf8');
      } catch {
        throw new HubError('request.validation_failed', 'The request headers cannot be relayed');
      }
      if (headPayload.length > MAX_PAYLOAD) {
        throw new HubError('request.too_large', 'The request headers are too large to relay');
      }
      if (req.raw.socket?.destroyed || reply.raw.destroyed) {
        lease.release(); // the client left while we checked
        remote?.abandon();
        return;
      }
      reply.hijack();
      const stream = new RelayHttpStream({
        tunnel,
        req: req.raw,
        res: reply.raw,
        method,
        headPayload,
        userId,
        serverId,
        role: d.role,
        action: effective,
        libraryId: t.libraryId,
        wholeServerOnly: t.wholeServerOnly,
        screen: t.screen,
        lease,
        window: this.cfg.relay.streamBufferBytes,
        stallMs: this.cfg.relay.plainStallMs,
        responseHeaders: x.responseHeaders,
        timeouts: {
          ttfbMs: this.cfg.relay.ttfbTimeoutSeconds * 1000,
          idleMs: this.cfg.relay.streamIdleTimeoutSeconds * 1000,
          maxMs: this.cfg.relay.maxStreamSeconds * 1000,
        },
      });
      stream.start();
      lease = undefined; // the stream owns it now
      remote = null;
      x.started?.(stream);
    } catch (e) {
      lease?.release();
      remote?.abandon();
      throw e;
    }
  }

  /** An error answer (`{error, code}`), or a cut connection once the response has begun. */
  sendError(reply: FastifyReply, e: unknown): void {
    let status = 500;
    let body = { error: 'Internal error', code: 'internal.error' };
    let headers: Record<string, string> = {};
    if (e instanceof HubError) {
      status = e.getStatus();
      body = e.getResponse() as { error: string; code: string };
      headers = e.headers;
    } else {
      this.log.error(`proxy failed: ${(e as Error).stack ?? String(e)}`);
    }
    if (reply.sent || reply.raw.headersSent) return void reply.raw.destroy();
    reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
  }
}
