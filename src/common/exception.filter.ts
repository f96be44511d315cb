import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response.js';

/** One global filter: every error leaves as { error, code } with the right status, never a stack. */
@Catch()
export class HubExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('HubExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = toErrorResponse(exception, (e) =>
      this.log.error(e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e)),
    );
    if (reply.sent || (reply.raw && reply.raw.headersSent)) {
      // Head already written (e.g. a relayed stream): abort, never write a second response.
      reply.raw?.destroy();
      return;
    }
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
