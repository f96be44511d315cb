import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../../common/hub-error.js';
import { registerStreamRoutes } from '../../common/stream-routes.js';
import { RelayProxyRoute } from '../proxy/proxy.route.js';
import { assertRelayable } from '../relayable-path.js';
import { underPrefix } from '../proxy/path-normalize.js';
import { OriginProfiles } from '../proxy/origin-profile.js';
import { MediaLinksService } from './media-links.service.js';

const LINK_URL = /^\/m\/([A-Za-z0-9_-]{16,128})(\/[^?]*)?(?:\?(.*))?$/;

/**
 * `GET|HEAD /m/<secret>/<path>`: a media link (media-links.service.ts) played by a native player.
 * The secret is the credential; the request is relayed exactly as the link holder's own request on
 * the proxy route (access, permission screen, limits, Range), and only under the link's prefix.
 */
@Injectable()
export class MediaLinkRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly proxy: RelayProxyRoute,
    private readonly links: MediaLinksService,
    private readonly profiles: OriginProfiles,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    registerStreamRoutes(adapter.getInstance<FastifyInstance>(), ['GET', 'HEAD'], ['/m/*'], (req, reply) =>
      this.handle(req, reply),
    );
  }

  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      const m = LINK_URL.exec(req.raw.url ?? '');
      if (!m) throw new HubError('media_link.not_found', 'This media link does not exist, has expired or was revoked');
      const rawPath = m[2] ?? '/';
      const query = m[3] ?? '';
      assertRelayable(rawPath, query);
      const link = await this.links.open(m[1]!);
      // judged paths of an origin that folds case are lower-cased: so is the prefix they are held to
      const prefix = (await this.profiles.of(link.serverId)).foldCase ? link.pathPrefix.toLowerCase() : link.pathPrefix;
      await this.proxy.relay(
        req,
        reply,
        { userId: link.userId, serverId: link.serverId, rawPath, query },
        {
          judged: (t) => {
            if (!underPrefix(t.path, prefix)) {
              throw new HubError('relay.access_denied', 'This path is outside what the media link reaches');
            }
          },
          started: (stream) => this.links.track(link, stream, reply.raw),
        },
      );
    } catch (e) {
      this.proxy.sendError(reply, e);
    }
  }
}
