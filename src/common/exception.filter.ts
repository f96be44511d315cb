import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HubError } from './hub-error.js';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const GENERIC: Record<number, [string, string]> = {
  400: ['request.validation_failed', 'The request is invalid'],
  401: ['auth.required', 'Authentication is required'],
  403: ['auth.forbidden', 'You may not do that'],
  404: ['route.not_found', 'Not found'],
  405: ['method.not_allowed', 'Method not allowed'],
  413: ['request.too_large', 'The request body is too large'],
  415: ['request.unsupported_media_type', 'Unsupported content type'],
  429: ['rate.limited', 'Too many requests'],
  503: ['service.unavailable', 'Service unavailable'],
};

/** One global filter: every error leaves as { error, code } with the right status, never a stack. */
@Catch()
export class HubExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('HubExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body, headers] = this.map(exception);
    if (reply.sent || (reply.raw && reply.raw.headersSent)) {
      // Head already written (e.g. a relayed stream): abort, never write a second response.
      reply.raw?.destroy();
      return;
    }
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private map(e: unknown): [number, { error: string; code: string }, Record<string, string>] {
    if (e instanceof HubError) {
      return [e.getStatus(), e.getResponse() as { error: string; code: string }, e.headers];
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const resp = e.getResponse() as unknown;
      if (resp && typeof resp === 'object' && 'code' in resp && 'error' in resp && typeof (resp as { code: unknown }).code === 'string') {
        return [status, { error: String((resp as { error: unknown }).error), code: (resp as { code: string }).code }, {}];
      }
      if (status === 400 && /not valid JSON|Unexpected token|JSON/i.test(e.message)) {
        return [400, { error: 'The request body is not valid JSON', code: 'request.malformed_json' }, {}];
      }
      if (status === 413) return [413, { error: 'The request body is too large', code: 'request.too_large' }, {}];
      if (status === 415) return [415, { error: 'Unsupported content type', code: 'request.unsupported_media_type' }, {}];
      const [code, text] = GENERIC[status] ?? (status >= 500 ? ['internal.error', 'Internal error'] : ['request.validation_failed', 'Bad request']);
      let msg = text;
      if (status < 500 && resp && typeof resp === 'object' && 'message' in resp) {
        const m = (resp as { message: unknown }).message;
        msg = Array.isArray(m) ? m.join('; ') : String(m);
      }
      return [status, { error: msg.slice(0, 1000), code }, {}];
    }
    const fe = e as FastifyLikeError;
    if (fe && typeof fe === 'object' && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return [413, { error: 'The request body is too large', code: 'request.too_large' }, {}];
      if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return [415, { error: 'Unsupported content type', code: 'request.unsupported_media_type' }, {}];
      if (fe.statusCode === 400) return [400, { error: 'The request body is not valid JSON', code: 'request.malformed_json' }, {}];
      const [code, text] = GENERIC[fe.statusCode] ?? ['request.validation_failed', 'Bad request'];
      return [fe.statusCode, { error: text, code }, {}];
    }
    this.log.error(e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e));
    return [500, { error: 'Internal error', code: 'internal.error' }, {}];
  }
}
