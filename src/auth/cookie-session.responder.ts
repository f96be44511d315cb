import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubConfig } from '../config/config.js';
import { HubError } from '../common/hub-error.js';
import { bearerToken } from '../common/bearer.js';
import { appendSetCookie } from './cookies.js';
import { assertCsrf } from './csrf.js';
import { AuthService } from './auth.service.js';
import type { AuthSession } from './tokens.service.js';
import {
  clearedCookies,
  cookieSessionBody,
  hasSessionCookie,
  sessionCookies,
  sessionCookieValues,
  wantsCookieSession,
  type CookieSession,
} from './cookie-session.js';

/** The cookie half of sign-up, sign-in, refresh and sign-out (cookie-session.ts); Bearer callers pass through untouched. */
@Injectable()
export class CookieSessionResponder {
  constructor(
    private readonly cfg: HubConfig,
    private readonly auth: AuthService,
  ) {}

  /** Bearer: the session as it is. Cookie mode: the tokens go into cookies and the body carries none. */
  async answer(
    req: FastifyRequest,
    reply: FastifyReply,
    session: Promise<AuthSession>,
    csrf?: string,
  ): Promise<AuthSession | CookieSession> {
    if (!wantsCookieSession(req)) return session;
    const s = await session;
    appendSetCookie(reply, sessionCookies(this.cfg, s, csrf));
    reply.header('Cache-Control', 'no-store');
    return cookieSessionBody(s);
  }

  /** Refresh: the body's token (Bearer API), or in cookie mode the refresh cookie after the CSRF check. */
  refresh(
    req: FastifyRequest,
    reply: FastifyReply,
    bodyToken: string | undefined,
    ip: string,
  ): Promise<AuthSession | CookieSession> {
    if (!wantsCookieSession(req)) {
      if (!bodyToken) {
        throw new HubError('request.validation_failed', 'refresh_token must be a string', undefined, {}, [
          { field: 'refresh_token', message: 'refresh_token must be a string' },
        ]);
      }
      return this.answer(req, reply, this.auth.refresh(bodyToken, ip));
    }
    assertCsrf(req, this.cfg.http.publicUrl);
    const { refresh, csrf } = sessionCookieValues(req);
    if (!refresh) throw new HubError('auth.required', 'There is no session to refresh: sign in');
    return this.answer(req, reply, this.auth.refresh(refresh, ip), csrf);
  }

  /** Sign-out: the body's refresh token and the Bearer's session, and a cookie session (CSRF-checked) with its cookies cleared. */
  async logout(req: FastifyRequest, reply: FastifyReply, bodyToken: string | undefined): Promise<void> {
    const bearer = bearerToken(req);
    if (!bearer && hasSessionCookie(req)) {
      assertCsrf(req, this.cfg.http.publicUrl);
      const c = sessionCookieValues(req);
      await this.auth.logout(c.refresh, c.access);
      appendSetCookie(reply, clearedCookies(this.cfg));
    }
    await this.auth.logout(bodyToken, bearer);
  }
}
