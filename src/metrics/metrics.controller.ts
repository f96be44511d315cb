import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { CustomAuth } from '../common/auth.decorators.js';
import { bearerToken } from '../common/auth.guard.js';
import { HubError } from '../common/hub-error.js';
import { HubConfig } from '../config/config.js';
import { MetricsService } from './metrics.service.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService, private readonly cfg: HubConfig) {}

  /** Prometheus exposition. When HUB_METRICS_TOKEN is set, `Authorization: Bearer <token>` is required. */
  @CustomAuth('Bearer HUB_METRICS_TOKEN when configured, else open') @Get('metrics') @ApiExcludeEndpoint()
  async scrape(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (this.cfg.metricsToken) {
      const given = bearerToken(req);
      if (!given) throw new HubError('auth.required', 'A metrics token is required');
      if (!timingSafeEqual(digest(given), digest(this.cfg.metricsToken))) throw new HubError('auth.invalid_token', 'The metrics token is invalid');
    }
    reply.header('Content-Type', this.metrics.registry.contentType);
    reply.header('Cache-Control', 'no-store');
    return this.metrics.registry.metrics();
  }
}
