import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { HubConfig } from '../../config/config.js';
import { HubAuthGuard } from '../../auth/auth.guard.js';
import { HubError } from '../../common/hub-error.js';
import { isUuid } from '../../common/pipes.js';
import { AccessService } from '../../sharing/access.service.js';
import { encodeRequestHead, MAX_PAYLOAD } from '../codec/index.js';
import { TunnelRegistry } from '../tunnel/registry.js';
import { RelayLimits, type StreamLease } from '../limits/relay-limits.js';
import { parseProxyUrl, PathRejected } from './proxy-rules.js';
import { resolveTarget } from './target-decision.js';
import { OriginProfiles } from './origin-profile.repository.js';
import { buildRequestHeaders } from './proxy-headers.js';
import { RelayHttpStream } from './relay-http-stream.js';

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
 * routes elsewhere keep their parsers). Auth: the access JWT via HubAuthGuard.authenticateUser.
 */
@Injectable()
export class RelayProxyRoute implements OnModuleInit {
  private readonly log = new Logger('RelayProxy');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cfg: HubConfig,
    private readonly guard: HubAuthGuard,
    private readonly access: AccessService,
    private readonly registry: TunnelRegistry,
    private readonly limits: RelayLimits,
    private readonly profiles: OriginProfiles,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const fastify = adapter.getInstance<FastifyInstance>();
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
      const user = await this.guard.authenticateUser(req);
      if (!isUuid(target.serverId)) throw new HubError('server.not_found', 'No such server');
      const serverId = target.serverId.toLowerCase();
      const method = req.raw.method ?? 'GET';
      const t = await resolveTarget({ access: this.access, profiles: this.profiles }, {
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
        window: this.cfg.relay.streamBufferBytes, stallMs: this.cfg.relay.plainStallMs,
        timeouts: { ttfbMs: this.cfg.relay.ttfbTimeoutSeconds * 1000, idleMs: this.cfg.relay.streamIdleTimeoutSeconds * 1000, maxMs: this.cfg.relay.maxStreamSeconds * 1000 },
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
