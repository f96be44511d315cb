import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetricsService } from './metrics.service.js';
import { RELAY_STREAM_ROUTE } from '../common/stream-routes.js';

export { RELAY_STREAM_ROUTE };
const HEARTBEAT_ROUTE = /\/heartbeat$/;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface Timing {
  start: bigint;
  kind: 'api' | 'stream';
  done: boolean;
}
const timings = new WeakMap<FastifyRequest, Timing>();

/** The route template Fastify matched ("/api/v1/servers/:id"), never the raw URL. */
export function routeLabel(req: FastifyRequest): string {
  const url = (req as { routeOptions?: { url?: string } }).routeOptions?.url;
  return typeof url === 'string' && url.length > 0 ? url.slice(0, 200) : 'unmatched';
}

/** Fastify hooks timing every request by route template; must be added before the server is ready. */
export function installHttpMetrics(fastify: FastifyInstance, m: MetricsService): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    const kind = RELAY_STREAM_ROUTE.test(routeLabel(req)) ? 'stream' : 'api';
    timings.set(req, { start: process.hrtime.bigint(), kind, done: false });
    m.track(kind, 1);
    // a response destroyed before it finished (client abort of a streamed/hijacked reply) gets
    // neither onResponse nor, for a fully read request, onRequestAbort: count it out on close
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) finish(req, null);
    });
    done();
  });
  const finish = (req: FastifyRequest, status: number | null) => {
    const t = timings.get(req);
    if (!t || t.done) return;
    t.done = true;
    m.track(t.kind, -1);
    if (status === null) return;
    const seconds = Number(process.hrtime.bigint() - t.start) / 1e9;
    if (t.kind === 'stream') {
      m.proxyDuration.observe({ status_class: `${Math.floor(status / 100)}xx` }, seconds);
      return;
    }
    const route = routeLabel(req);
    m.httpDuration.observe(
      { method: METHODS.has(req.method) ? req.method : 'OTHER', route, status: String(status) },
      seconds,
    );
    if (HEARTBEAT_ROUTE.test(route) && req.method === 'POST' && status < 300) m.heartbeat();
  };
  fastify.addHook('onResponse', (req, reply, done) => {
    finish(req, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (req, done) => {
    finish(req, null);
    done();
  });
}
