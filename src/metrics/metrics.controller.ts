import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { CustomAuth } from '../common/auth.decorators.js';
import { bearerToken } from '../common/bearer.js';
import { HubError } from '../common/hub-error.js';
import { HubConfig } from '../config/config.js';
import { MetricsService } from './metrics.service.js';

const digest = (s: string) => createHash('sha256').update(s).digest();
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;
/** headers a reverse proxy adds: a request carrying one came through a proxy, however local its socket */
const FORWARDED = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto'];

/** A scrape from this host itself: loopback socket, no proxy in between (a local nginx forwarding the internet is not "local"). */
export function isLocalScrape(req: FastifyRequest): boolean {
  const peer = req.raw.socket?.remoteAddress ?? '';
  return LOOPBACK.test(peer) && LOOPBACK.test(req.ip ?? peer) && !FORWARDED.some((h) => req.headers[h] !== undefined);
}

@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly cfg: HubConfig,
  ) {}

  /**
   * Prometheus exposition. When HUB_METRICS_TOKEN is set, `Authorization: Bearer <token>` is required.
   * Without a token: only scrapes from this host (loopback, not through a proxy), unless HUB_METRICS_PUBLIC=true.
   */
  @CustomAuth('Bearer HUB_METRICS_TOKEN when configured; else loopback only unless HUB_METRICS_PUBLIC')
  @Get('metrics')
  @ApiExcludeEndpoint()
  async scrape(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (this.cfg.metrics.token) {
      const given = bearerToken(req);
      if (!given) throw new HubError('auth.required', 'A metrics token is required');
      if (!timingSafeEqual(digest(given), digest(this.cfg.metrics.token))) {
        throw new HubError('auth.invalid_token', 'The metrics token is invalid');
      }
    } else if (!this.cfg.metrics.public && !isLocalScrape(req)) {
      throw new HubError(
        'metrics.forbidden',
        'Metrics are served to this host only; set HUB_METRICS_TOKEN (or HUB_METRICS_PUBLIC=true) to scrape from elsewhere',
      );
    }
    reply.header('Content-Type', this.metrics.registry.contentType);
    reply.header('Cache-Control', 'no-store');
    return this.metrics.registry.metrics();
  }
}
