import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { RELAY_STREAM_ROUTE } from './stream-routes.js';

/** Deepest JSON nesting a request body may have (objects and arrays count one level each). */
export const MAX_JSON_DEPTH = 64;

type ErrorBody = { error: string; code: string };

function body(error: string, code: string): string {
  return JSON.stringify({ error, code } satisfies ErrorBody);
}

/** A complete error response written straight to a socket (nothing else will be sent on it). */
function rawResponse(status: number, error: string, code: string): string {
  const payload = body(error, code);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`
  );
}

/** The router's longest route parameter; a longer one answers 414 request.uri_too_long. */
export const MAX_PARAM_LENGTH = 500;

/**
 * Errors the router answers before any hook or filter runs (malformed URL, over-long route
 * parameter): our `{ error, code }` shape, never the URL echoed back.
 */
export function frameworkErrors(
  error: { code?: string; statusCode?: number },
  _req: FastifyRequest,
  reply: FastifyReply,
): void {
  const [status, text, code] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'The URL is too long', 'request.uri_too_long']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'The URL is malformed', 'request.bad_url']
        : [400, 'Bad request', 'request.validation_failed'];
  reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send(body(text, code));
}

/**
 * Node's `clientError` (a request it could not parse, header/request timeouts, oversized headers):
 * answered in our shape on the raw socket, then closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let text = 'The request could not be parsed';
  let code = 'request.malformed';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    [status, text, code] = [408, 'The request took too long to arrive', 'request.timeout'];
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    [status, text, code] = [431, 'The request headers are too large', 'request.headers_too_large'];
  } else if (err.code === 'HPE_URI_TOO_LONG' || err.code === 'HPE_URL_TOO_LONG') {
    [status, text, code] = [414, 'The URL is too long', 'request.uri_too_long'];
  }
  // a request mid-response (pipelined) cannot get a second head: just close
  const busy = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (socket.writable && !busy) socket.write(rawResponse(status, text, code));
  socket.destroy();
}

/** Depth of a parsed JSON value, stopping as soon as `limit` is passed (no recursion: deep input cannot overflow the stack). */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}

type TimedRequest = FastifyRequest & { hubBodyTimer?: NodeJS.Timeout };

/**
 * Hooks on the main port:
 *  - JSON bodies nested deeper than MAX_JSON_DEPTH → 400 request.too_deep before any validation
 *    (class-transformer recurses and would overflow the stack);
 *  - an API request must have arrived in full (headers and body) within HUB_HTTP_REQUEST_TIMEOUT,
 *    else its connection is closed. Relayed streams (proxy, raw channels) are exempt: their uploads
 *    may run for hours; their socket idle timeout is lifted too (the relay has its own stream timeouts).
 */
export function installRequestHardening(fastify: FastifyInstance, opts: { requestTimeoutMs: number }): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const route = req.routeOptions?.url ?? '';
    if (RELAY_STREAM_ROUTE.test(route)) {
      req.raw.socket?.setTimeout(0);
      return done();
    }
    const sock = req.raw.socket;
    (req as TimedRequest).hubBodyTimer = setTimeout(() => {
      // the body is still arriving, so nothing has been answered yet: 408, then close
      if (sock && sock.writable && !reply.raw.headersSent) {
        sock.end(rawResponse(408, 'The request took too long to arrive', 'request.timeout'));
      }
      setTimeout(() => sock?.destroy(), 250).unref();
    }, opts.requestTimeoutMs).unref();
    done();
  });
  const clear = (req: FastifyRequest) => {
    const t = (req as TimedRequest).hubBodyTimer;
    if (t) clearTimeout(t);
    (req as TimedRequest).hubBodyTimer = undefined;
  };
  fastify.addHook('preValidation', (req, reply, done) => {
    clear(req);
    if (req.body !== undefined && jsonDepthExceeds(req.body, MAX_JSON_DEPTH)) {
      reply
        .code(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send(body(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep`, 'request.too_deep'));
      return;
    }
    done();
  });
  fastify.addHook('onResponse', (req, _reply, done) => {
    clear(req);
    done();
  });
  fastify.addHook('onRequestAbort', (req, done) => {
    clear(req);
    done();
  });
}
