import { HttpException } from '@nestjs/common';
import { statusFor } from './error-codes.js';

/**
 * The one exception type features throw. The status comes from the code registry
 * unless given explicitly. `headers` are added to the response (e.g. Retry-After).
 */
export class HubError extends HttpException {
  constructor(
    public readonly code: string,
    message: string,
    status?: number,
    public readonly headers: Record<string, string> = {},
  ) {
    const s = status ?? statusFor(code);
    if (s === undefined) throw new Error(`error code "${code}" is not registered`);
    super({ error: message, code }, s);
  }
}

export function rateLimited(code: string, retryAfterSeconds: number, message = 'Too many requests; try again later'): HubError {
  return new HubError(code, message, 429, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}
