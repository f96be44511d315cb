import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BlockList, isIP } from 'node:net';

/**
 * Which reverse proxies may tell us the client address (HUB_TRUST_PROXY):
 *  - `hops: n` — the n nearest hops are our proxies (n = 0: X-Forwarded-For is ignored);
 *  - `addrs` — any hop whose address is in the list (addresses or CIDRs) is one of our proxies.
 * The client is the nearest address that is NOT a trusted proxy, walking from the socket towards the
 * left of X-Forwarded-For: the entry our own proxy appended, never what the client wrote itself.
 */
export interface ProxyTrust {
  hops: number;
  addrs: string[];
}

/** Strip the IPv4-mapped IPv6 prefix so `::ffff:10.0.0.1` matches `10.0.0.0/8`. */
export function normaliseIp(a: string): string {
  const t = a.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(t) ? t.slice(7) : t;
}

/** A trust predicate `(address, hopIndex) → trusted?` (hop 0 = the socket peer), the form Fastify's trustProxy takes. */
export function trustFunction(t: ProxyTrust): ((addr: string, hop: number) => boolean) | false {
  if (t.addrs.length) {
    const list = new BlockList();
    for (const entry of t.addrs) {
      const [ip, bits] = entry.split('/');
      const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(normaliseIp(ip), family);
      else list.addSubnet(normaliseIp(ip), Number(bits), family);
    }
    return (addr: string) => {
      const a = normaliseIp(addr);
      const fam = isIP(a);
      return fam !== 0 && list.check(a, fam === 6 ? 'ipv6' : 'ipv4');
    };
  }
  if (t.hops > 0) return (_addr: string, hop: number) => hop < t.hops;
  return false;
}

/** The client address from the socket peer and X-Forwarded-For under `trust` (same walk as Fastify's req.ip). */
export function resolveClientIp(
  remote: string | undefined,
  xff: string | string[] | undefined,
  trust: ProxyTrust,
): string {
  const peer = normaliseIp(remote ?? 'unknown');
  const fn = trustFunction(trust);
  if (!fn) return peer;
  const chain = [
    peer,
    ...(Array.isArray(xff) ? xff.join(',') : (xff ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .reverse(),
  ];
  for (let i = 0; i < chain.length - 1; i++) if (!fn(chain[i], i)) return chain[i].slice(0, 64);
  return normaliseIp(chain[chain.length - 1]).slice(0, 64);
}

/** Client IP as Fastify resolved it (its trustProxy is built from HUB_TRUST_PROXY by trustFunction). */
export function clientIp(req: FastifyRequest): string {
  return req.ip || req.socket?.remoteAddress || 'unknown';
}

export const ClientIp = createParamDecorator((_d: unknown, ctx: ExecutionContext): string =>
  clientIp(ctx.switchToHttp().getRequest()),
);
