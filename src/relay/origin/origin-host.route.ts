import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubConfig } from '../../config/config.js';
import { HubError } from '../../common/hub-error.js';
import { PROXY_METHODS, RelayProxyRoute } from '../proxy/proxy.route.js';
import { assertRelayable } from '../relayable-path.js';
import { registerStreamRoutes } from '../../common/stream-routes.js';
import { parseCookies, serializeCookie } from '../../auth/cookies.js';
import { ORIGIN_ROUTE_PREFIX, serverOfHost } from './host-template.js';
import { OriginSessions, ORIGIN_SESSION_TTL_MS } from './origin-sessions.service.js';
import { ORIGIN_COOKIE, ownOriginResponse, passClientCredentials } from './origin-headers.js';

const ORIGIN_URL = /^\/\.phlix-origin\/([0-9a-f-]{36})(\/[^?]*)?(?:\?(.*))?$/;
const ENTER_PATH = '/.phlix/enter';

/**
 * Every request on a server's own origin (HUB_RELAY_HOST_TEMPLATE; routed here by relayHostRewrite):
 * `/.phlix/enter?t=<one-time>` turns the hub's entry token into a host-only session cookie and
 * redirects to `/`; everything else is relayed for the cookie's user exactly as on the proxy route
 * (path rules, access, permission screen, limits), with the client's own Authorization and cookies
 * passed to the server and the server's page not sandboxed.
 */
@Injectable()
export class OriginHostRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly cfg: HubConfig,
    private readonly proxy: RelayProxyRoute,
    private readonly sessions: OriginSessions,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    registerStreamRoutes(
      adapter.getInstance<FastifyInstance>(),
      PROXY_METHODS,
      [`${ORIGIN_ROUTE_PREFIX}*`],
      (req, reply) => this.handle(req, reply),
    );
  }

  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      const m = ORIGIN_URL.exec(req.raw.url ?? '');
      const serverId = m?.[1] ?? null;
      // only a request whose Host is that server's origin was routed here; the prefix typed on any other host is not
      if (!m || !serverId || serverOfHost(this.cfg.relay.hostTemplate, req.headers.host) !== serverId) {
        throw new HubError('route.not_found', 'Not found');
      }
      const rawPath = m[2] ?? '/';
      const query = m[3] ?? '';
      if (rawPath === ENTER_PATH) return await this.enter(reply, serverId, query);
      assertRelayable(rawPath, query);
      const userId = await this.sessions.userOf(serverId, parseCookies(req.headers.cookie).get(ORIGIN_COOKIE));
      await this.proxy.relay(
        req,
        reply,
        { userId, serverId, rawPath, query },
        { requestHeaders: passClientCredentials, responseHeaders: ownOriginResponse },
      );
    } catch (e) {
      this.proxy.sendError(reply, e);
    }
  }

  private async enter(reply: FastifyReply, serverId: string, query: string): Promise<void> {
    const token = new URLSearchParams(query).get('t') ?? '';
    const session = await this.sessions.enter(serverId, token);
    const cookie = serializeCookie(ORIGIN_COOKIE, session, {
      httpOnly: true,
      secure: this.cfg.http.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: ORIGIN_SESSION_TTL_MS / 1000,
      sameSite: 'Lax',
    });
    reply
      .code(302)
      .header('set-cookie', cookie)
      .header('location', '/')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send();
  }
}
