import { HttpException } from '@nestjs/common';
import type { ErrorCode } from './error-codes.js';
import { HubError, type ErrorBody } from './hub-error.js';

/** What an error becomes on the wire: status, `{error, code[, fields]}` body, extra headers. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const GENERIC: Record<number, [ErrorCode, string]> = {
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

const res = (status: number, code: ErrorCode, error: string, headers: Record<string, string> = {}): ErrorResponse => ({
  status,
  body: { error, code },
  headers,
});

/**
 * The one mapping from anything thrown to the answer a client gets: used by the global exception
 * filter and by the relay proxy, which writes its failures on the raw response itself. Never a
 * stack; anything unexpected is a 500 `internal.error` (`onUnexpected` gets it for the log).
 */
export function toErrorResponse(e: unknown, onUnexpected?: (e: unknown) => void): ErrorResponse {
  if (e instanceof HubError) return { status: e.getStatus(), body: e.body, headers: e.headers };
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const resp = e.getResponse() as unknown;
    if (
      resp &&
      typeof resp === 'object' &&
      'code' in resp &&
      'error' in resp &&
      typeof (resp as { code: unknown }).code === 'string'
    ) {
      return res(status, (resp as { code: ErrorCode }).code, String((resp as { error: unknown }).error));
    }
    if (status === 400 && /not valid JSON|Unexpected token|JSON/i.test(e.message)) {
      return res(400, 'request.malformed_json', 'The request body is not valid JSON');
    }
    if (status === 413) return res(413, 'request.too_large', 'The request body is too large');
    if (status === 415) return res(415, 'request.unsupported_media_type', 'Unsupported content type');
    const [code, text] =
      GENERIC[status] ??
      (status >= 500 ? ['internal.error', 'Internal error'] : ['request.validation_failed', 'Bad request']);
    let msg = text;
    if (status < 500 && resp && typeof resp === 'object' && 'message' in resp) {
      const m = (resp as { message: unknown }).message;
      msg = Array.isArray(m) ? m.join('; ') : String(m);
    }
    return res(status, code, msg.slice(0, 1000));
  }
  const fe = e as FastifyLikeError;
  if (
    fe &&
    typeof fe === 'object' &&
    typeof fe.statusCode === 'number' &&
    fe.statusCode >= 400 &&
    fe.statusCode < 500
  ) {
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return res(413, 'request.too_large', 'The request body is too large');
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return res(415, 'request.unsupported_media_type', 'Unsupported content type');
    }
    if (fe.statusCode === 400) return res(400, 'request.malformed_json', 'The request body is not valid JSON');
    const [code, text] = GENERIC[fe.statusCode] ?? ['request.validation_failed', 'Bad request'];
    return res(fe.statusCode, code, text);
  }
  onUnexpected?.(e);
  return res(500, 'internal.error', 'Internal error');
}
