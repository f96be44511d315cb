import type { FastifyRequest } from 'fastify';
import type { HubConfig } from '../config/config.js';
import { parseCookies, serializeCookie, type CookieOptions } from './cookies.js';
import { assertCsrf, CSRF_COOKIE, isUnsafeMethod, newCsrfToken } from './csrf.js';
import type { AuthSession } from './tokens.service.js';

/**
 * Browser sessions: the same session (refresh-token family) as the Bearer API, carried in cookies
 * instead of the answer's body. A web page asks for it with `X-Phlix-Session: cookie` on sign-up,
 * sign-in and refresh; a custom header cannot be sent by another site's form, so no other site can
 * start or refresh a session in someone's browser.
 *
 *  - phlix_session: the access JWT, HttpOnly, Path=/, for as long as the token lives;
 *  - phlix_refresh: the refresh token, HttpOnly, only sent to /api/v1/auth;
 *  - phlix_csrf:    readable by the hub's pages, echoed in X-CSRF-Token on unsafe requests.
 * All SameSite=Lax, host-only, Secure when HUB_PUBLIC_URL is https.
 */
export const SESSION_COOKIE = 'phlix_session';
export const REFRESH_COOKIE = 'phlix_refresh';
export const SESSION_MODE_HEADER = 'x-phlix-session';
const REFRESH_PATH = '/api/v1/auth';

/** What sign-up, sign-in and refresh answer in cookie mode: the tokens stay in HttpOnly cookies. */
export interface CookieSession {
  token_type: 'Cookie';
  expires_in: number;
  user: AuthSession['user'];
}

export function wantsCookieSession(req: FastifyRequest): boolean {
  const v = req.headers[SESSION_MODE_HEADER];
  return typeof v === 'string' && v.trim().toLowerCase() === 'cookie';
}

const secureFor = (cfg: HubConfig) => cfg.http.publicUrl.startsWith('https:');
const base = (cfg: HubConfig, path: string, maxAge: number, httpOnly = true): CookieOptions => ({
  httpOnly,
  secure: secureFor(cfg),
  path,
  maxAge,
  sameSite: 'Lax',
});

/** Set-Cookie values for a new or rotated session; `csrf` is kept across refreshes, new at sign-in. */
export function sessionCookies(cfg: HubConfig, s: AuthSession, csrf: string = newCsrfToken()): string[] {
  return [
    serializeCookie(SESSION_COOKIE, s.access_token, base(cfg, '/', s.expires_in)),
    serializeCookie(REFRESH_COOKIE, s.refresh_token, base(cfg, REFRESH_PATH, cfg.auth.refreshTtlSeconds)),
    serializeCookie(CSRF_COOKIE, csrf, base(cfg, '/', cfg.auth.refreshTtlSeconds, false)),
  ];
}

/** Set-Cookie values that delete all three cookies. */
export function clearedCookies(cfg: HubConfig): string[] {
  return [
    serializeCookie(SESSION_COOKIE, '', base(cfg, '/', 0)),
    serializeCookie(REFRESH_COOKIE, '', base(cfg, REFRESH_PATH, 0)),
    serializeCookie(CSRF_COOKIE, '', base(cfg, '/', 0, false)),
  ];
}

export function cookieSessionBody(s: AuthSession): CookieSession {
  return { token_type: 'Cookie', expires_in: s.expires_in, user: s.user };
}

export interface SessionCookieValues {
  access?: string;
  refresh?: string;
  csrf?: string;
}

export function sessionCookieValues(req: FastifyRequest): SessionCookieValues {
  const c = parseCookies(req.headers.cookie);
  return {
    access: c.get(SESSION_COOKIE) || undefined,
    refresh: c.get(REFRESH_COOKIE) || undefined,
    csrf: c.get(CSRF_COOKIE) || undefined,
  };
}

/** True when the request carries a session cookie (access or refresh). */
export function hasSessionCookie(req: FastifyRequest): boolean {
  const v = sessionCookieValues(req);
  return !!(v.access || v.refresh);
}

/**
 * The access token of a cookie session, or undefined when the request has none. An unsafe request
 * that carries it must pass the CSRF check first (403 auth.csrf_failed: nothing is done).
 */
export function cookieAccessToken(req: FastifyRequest, cfg: HubConfig): string | undefined {
  const { access } = sessionCookieValues(req);
  if (!access) return undefined;
  if (isUnsafeMethod(req.method)) assertCsrf(req, cfg.http.publicUrl);
  return access;
}
