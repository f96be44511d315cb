import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { HubConfig } from '../../config/config.js';
import { HubError } from '../../common/hub-error.js';
import { isUuid } from '../../common/pipes.js';
import { encodeRequestHead, MAX_PAYLOAD } from '../codec/index.js';
import { TunnelRegistry } from '../tunnel/registry.js';
import { RelayLimits, type StreamLease } from '../limits/relay-limits.js';
import { parseProxyUrl, PathRejected } from './proxy-rules.js';
import { resolveTarget } from './target-decision.js';
import { AdmissionCache } from './admission-cache.js';
import { buildRequestHeaders } from './proxy-headers.js';
import { RelayHttpStream } from './relay-http-stream.js';

const HEARTBEAT_URL = /^\/api\/v1\/servers\/([^/?]+)\/heartbeat(?:\?|$)/;

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
    // a heartbeat may change the origin's layout: once it was handled, its profile is read again
    fastify.addHook('onSend', (req, _reply, payload, done) => {
      if (req.method === 'POST') {
        const m = HEARTBEAT_URL.exec(req.url);
        if (m) this.admission.dropProfile(m[1]!);
      }
      done(null, payload);
    });
    void fastify.register(async (inst) => {
      inst.removeAllContentTypeParsers();
      inst.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
      const handler = (req: FastifyRequest, reply: FastifyReply) => this.handle(req, reply);
      inst.route({ method: PROXY_METHODS, url: '/api/v1/servers/:id/proxy', handler });
      inst.route({ method: PROXY_METHODS, url: '/api/v1/servers/:id/proxy/*', handler });
    });
  }

  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    let lease: StreamLease | undefined;
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
      const serverId = target.serverId.toLowerCase();
      const method = req.raw.method ?? 'GET';
      const t = await resolveTarget(this.judge, {
        userId: user.id, serverId, method, rawPath: target.path, query: target.query, ranged: req.headers.range !== undefined,
      });
      const d = t.decision;
      const tunnel = this.registry.get(serverId);
      if (!tunnel) throw new HubError('relay.server_unreachable', 'The server is not connected to the hub', undefined, { 'Retry-After': '30' });
      const effective = t.action;
      lease = await this.limits.admit({ userId: user.id, serverId, role: d.role, action: effective, method, path: t.wire });
      const headers = buildRequestHeaders(req.raw.rawHeaders, { userId: user.id, role: d.role, permission: d.permission, libraryIds: d.libraryIds }, contentLengthOf(req));
      let headPayload: Buffer;
      try {
        headPayload = encodeRequestHead({ method, path: t.wire, query: target.query, headers }, 'utf8');
      } catch {
        throw new HubError('request.validation_failed', 'The request headers cannot be relayed');
      }
      if (headPayload.length > MAX_PAYLOAD) throw new HubError('request.too_large', 'The request headers are too large to relay');
      if (req.raw.socket?.destroyed || reply.raw.destroyed) {
        lease.release(); // the client left while we checked
        return;
      }
      reply.hijack();
      const stream = new RelayHttpStream({
        tunnel, req: req.raw, res: reply.raw, method, headPayload, userId: user.id, serverId, role: d.role, action: effective, libraryId: t.libraryId, wholeServerOnly: t.wholeServerOnly, screen: t.screen, lease,
        window: this.cfg.relayStreamBuffer, stallMs: this.cfg.relayPlainStallMs,
        timeouts: { ttfbMs: this.cfg.relayTtfbTimeout * 1000, idleMs: this.cfg.relayStreamIdleTimeout * 1000, maxMs: this.cfg.relayMaxStreamSeconds * 1000 },
      });
      stream.start();
      lease = undefined; // the stream owns it now
    } catch (e) {
      lease?.release();
      this.sendError(reply, e);
    }
  }

  private sendError(reply: FastifyReply, e: unknown): void {
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
