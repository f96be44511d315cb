import { HttpException } from '@nestjs/common';
import { statusFor, type ErrorCode } from './error-codes.js';

/** One refused input field of a request (validation errors list them next to `{error, code}`). */
export interface FieldError {
  field: string;
  message: string;
}

/** The JSON body of every error the hub answers with. */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
  fields?: FieldError[];
}

/**
 * The one exception type features throw. The status comes from the code registry
 * unless given explicitly. `headers` are added to the response (e.g. Retry-After).
 */
export class HubError extends HttpException {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    status?: number,
    public readonly headers: Record<string, string> = {},
    public readonly fields?: FieldError[],
  ) {
    // the type already refuses unregistered codes; this catches casts and plain-JS callers
    const s = status ?? statusFor(code);
    if (s === undefined) throw new Error(`error code "${code}" is not registered`);
    const body: ErrorBody = fields ? { error: message, code, fields } : { error: message, code };
    super(body, s);
  }

  get body(): ErrorBody {
    return this.getResponse() as ErrorBody;
  }
}

export function rateLimited(
  code: ErrorCode,
  retryAfterSeconds: number,
  message = 'Too many requests; try again later',
): HubError {
  return new HubError(code, message, 429, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}
