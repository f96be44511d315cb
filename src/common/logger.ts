import { LoggerService } from '@nestjs/common';
import { createRequire } from 'node:module';
import pino, { Logger } from 'pino';

/** Redaction paths: nothing secret ever reaches the log. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.refresh_token',
  '*.access_token',
  '*.token',
  '*.enrollment_jwt',
  '*.identity_token',
  '*.claim_token',
];

/** Where pino-pretty loads from, or null when it is not installed (a JSON-only install). */
function prettyTarget(): string | null {
  try {
    return createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return null;
  }
}

/**
 * The pino transport for stdout: human-readable lines (pino-pretty, in pino's worker thread)
 * when stdout is a terminal, else none, i.e. JSON lines for log collectors.
 */
export function stdoutTransport(isTTY = !!process.stdout.isTTY): pino.TransportSingleOptions | undefined {
  const target = isTTY ? prettyTarget() : null;
  if (!target) return undefined;
  return {
    target,
    options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,svc', singleLine: true },
  };
}

/** A pino logger: to `destination` (JSON) when given, else to stdout (pretty on a terminal, JSON otherwise). */
export function createPino(level: string, destination?: pino.DestinationStream, isTTY?: boolean): Logger {
  const opts = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { svc: 'phlix-hub' } };
  if (destination) return pino(opts, destination);
  const transport = stdoutTransport(isTTY);
  return transport ? pino({ ...opts, transport }) : pino(opts);
}

/** Nest LoggerService on pino (JSON lines, or pretty ones on a terminal). */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly p: Logger) {}
  log(message: unknown, context?: string) {
    this.p.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.p.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.p.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.p.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.p.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.p.fatal({ context }, String(message));
  }
}
