import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ExchangeSink, OriginExchange, RequestHead } from './origin-conn.js';

/**
 * A request to an HTTPS origin through Node's own client (TLS, keep-alive agent). Body chunks
 * are buffers of their own, so the sink may keep them.
 */
export function nodeExchange(url: URL, agent: Agent, head: RequestHead, sink: ExchangeSink): OriginExchange {
  const fn = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = fn({
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port || undefined,
    agent,
    method: head.method,
    path: head.path,
    headers: head.headers,
  });
  let res: IncomingMessage | undefined;
  let failed = false;
  const fail = (e: Error) => {
    if (!failed) {
      failed = true;
      sink.onError(e);
    }
  };
  req.on('response', (r) => {
    res = r;
    sink.onHead({ status: r.statusCode ?? 502, rawHeaders: r.rawHeaders, keepAlive: true });
    r.on('data', (c: Buffer) => sink.onBody(c, false));
    r.on('end', () => sink.onEnd());
    r.on('aborted', () => fail(new Error('origin response aborted')));
    r.on('error', fail);
  });
  req.on('error', fail);
  req.on('drain', () => sink.onDrain());
  return {
    borrowed: false,
    get writableLength() {
      return req.writableLength;
    },
    write: (d) => req.write(d),
    end: () => void req.end(),
    pause: () => void res?.pause(),
    resume: () => void res?.resume(),
    destroy: () => void req.destroy(),
    takeFrame: () => {
      throw new Error('no framed body pieces from this client');
    },
  };
}
