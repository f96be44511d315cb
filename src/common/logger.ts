import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Redaction paths: nothing secret ever reaches the log. */
export const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
  '*.password', '*.refresh_token', '*.access_token', '*.token', '*.enrollment_jwt', '*.identity_token', '*.claim_token',
];

export function createPino(level: string, destination?: pino.DestinationStream): Logger {
  const opts = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { svc: 'phlix-hub' } };
  return destination ? pino(opts, destination) : pino(opts);
}

/** Nest LoggerService on pino: JSON lines. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly p: Logger) {}
  log(message: unknown, context?: string) { this.p.info({ context }, String(message)); }
  error(message: unknown, trace?: string, context?: string) { this.p.error({ context, trace }, String(message)); }
  warn(message: unknown, context?: string) { this.p.warn({ context }, String(message)); }
  debug(message: unknown, context?: string) { this.p.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string) { this.p.trace({ context }, String(message)); }
  fatal(message: unknown, context?: string) { this.p.fatal({ context }, String(message)); }
}
