import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Client IP. Fastify's `trustProxy` (HUB_TRUST_PROXY) decides whether X-Forwarded-For is honoured. */
export function clientIp(req: FastifyRequest): string {
  return req.ip || req.socket?.remoteAddress || 'unknown';
}

export const ClientIp = createParamDecorator((_d: unknown, ctx: ExecutionContext): string => clientIp(ctx.switchToHttp().getRequest()));
