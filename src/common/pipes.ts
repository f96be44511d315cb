import { PipeTransform } from '@nestjs/common';
import { HubError } from './hub-error.js';
import type { ErrorCode } from './error-codes.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids are UUIDs; anything else cannot exist, so it answers the given not-found code (404). */
export function uuidPipe(notFoundCode: ErrorCode, message = 'Not found'): PipeTransform<string, string> {
  return {
    transform(v: string) {
      if (typeof v !== 'string' || !UUID_RE.test(v)) throw new HubError(notFoundCode, message);
      return v.toLowerCase();
    },
  };
}

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}
