import type { IncomingMessage } from 'node:http';

/**
 * Each relayed server's own web origin, from HUB_RELAY_HOST_TEMPLATE (`{server}` = the server id):
 * `{server}.relay.example.com` with wildcard DNS, or by default `{server}.localhost:<HUB_PORT>`,
 * which browsers resolve to this machine with no DNS at all.
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const compiled = new Map<string, RegExp>();

/** Path prefix a request on a server's origin is routed under (rewriteUrl); never reachable as such from outside. */
export const ORIGIN_ROUTE_PREFIX = '/.phlix-origin/';

function matcher(template: string): RegExp {
  let re = compiled.get(template);
  if (!re) {
    const [before, after] = template.toLowerCase().split('{server}') as [string, string];
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(`^${esc(before)}(${UUID})${esc(after)}$`);
    compiled.set(template, re);
  }
  return re;
}

/** The server whose origin a Host header names, or null (the hub's own host, anything else). */
export function serverOfHost(template: string, host: unknown): string | null {
  if (typeof host !== 'string' || host.length > 300) return null;
  const m = matcher(template).exec(host.trim().toLowerCase());
  return m ? m[1]! : null;
}

/** host[:port] of a server's origin. */
export function hostOfServer(template: string, serverId: string): string {
  return template.toLowerCase().replace('{server}', serverId.toLowerCase());
}

/**
 * Fastify rewriteUrl: a request whose Host is a server's origin is routed to the origin route
 * (origin-host.route.ts) whatever its path, so none of the hub's own routes answer on that origin.
 */
export function relayHostRewrite(cfg: { relay: { hostTemplate: string } }): (req: IncomingMessage) => string {
  return (req) => {
    const url = req.url ?? '/';
    const id = serverOfHost(cfg.relay.hostTemplate, req.headers.host);
    return id ? `${ORIGIN_ROUTE_PREFIX}${id}${url.startsWith('/') ? url : `/${url}`}` : url;
  };
}
