import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HubError } from '../common/hub-error.js';
import { parseCookies } from './cookies.js';

/** The readable cookie a web page echoes in X-CSRF-Token (double submit). */
export const CSRF_COOKIE = 'phlix_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

export function isUnsafeMethod(method: string | undefined): boolean {
  return !SAFE_METHODS.has((method ?? 'GET').toUpperCase());
}

/** The origin (scheme://host[:port]) of a URL, or null. */
function originOf(u: string): string | null {
  try {
    const o = new URL(u).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

const failed = (why: string) =>
  new HubError('auth.csrf_failed', `This request was refused as a possible cross-site request: ${why}`);
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * An unsafe request authenticated by cookie must come from a page of the hub itself: its Origin (or,
 * when a browser sends none, its Referer) is the origin of HUB_PUBLIC_URL, and it echoes the
 * readable CSRF cookie in X-CSRF-Token. Either alone is not enough: the Origin check stops other
 * sites, the token stops pages that can set cookies for this host but cannot read them.
 */
export function assertCsrf(req: FastifyRequest, publicUrl: string): void {
  const want = originOf(publicUrl);
  const origin = req.headers.origin;
  const referer = req.headers.referer;
  const from =
    typeof origin === 'string' && origin !== 'null'
      ? originOf(origin)
      : typeof origin === 'string'
        ? null
        : typeof referer === 'string'
          ? originOf(referer)
          : null;
  if (!from || from !== want) throw failed('it does not come from this hub’s web app');
  const cookie = parseCookies(req.headers.cookie).get(CSRF_COOKIE);
  const header = req.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string' || !header) throw failed('the X-CSRF-Token header is missing');
  if (!timingSafeEqual(digest(cookie), digest(header))) throw failed('the X-CSRF-Token header does not match');
}
