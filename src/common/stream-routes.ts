import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

/** Route templates whose requests are relayed client streams (long-lived; kept out of API timeouts and latency histograms). */
export const RELAY_STREAM_ROUTE = /\/proxy(\/|$)|^\/relay\/|\/stream(\/|$)|^\/m\/|^\/\.phlix-origin\//;

/**
 * Register routes straight on Fastify in an encapsulated context whose only content-type parser is
 * a catch-all that leaves the body unread, so bodies stream through instead of being parsed (JSON
 * routes elsewhere keep their parsers).
 */
export function registerStreamRoutes(
  fastify: FastifyInstance,
  methods: HTTPMethods[],
  urls: string[],
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<void>,
): void {
  void fastify.register(async (inst) => {
    inst.removeAllContentTypeParsers();
    inst.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    for (const url of urls) inst.route({ method: methods, url, handler });
  });
}
