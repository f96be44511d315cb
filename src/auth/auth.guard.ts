import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AUTH_KIND, AUTH_OPTS, AuthKind, AuthUser, UserAuthOptions } from '../common/auth.decorators.js';
import { AuthRegistry } from '../common/auth-registry.js';
import { bearerToken } from '../common/bearer.js';
import { HubError } from '../common/hub-error.js';
import { ServerVerifier } from '../common/server-verifier.js';
import { AccessTokenStrategy } from './access-token.strategy.js';
import { UsersService } from '../users/users.service.js';
import { cookieAccessToken } from './cookie-session.js';
import { HubConfig } from '../config/config.js';

/**
 * The single global guard. A route without an explicit auth declaration is refused
 * (and test/auth-declarations.e2e-spec.ts fails on it).
 */
@Injectable()
export class HubAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessTokenStrategy,
    private readonly registry: AuthRegistry,
    private readonly servers: ServerVerifier,
    private readonly users: UsersService,
    private readonly cfg: HubConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    const kind = this.reflector.getAllAndOverride<AuthKind | undefined>(AUTH_KIND, targets);
    const req = ctx.switchToHttp().getRequest<FastifyRequest & Record<string, unknown>>();
    switch (kind) {
      case 'public':
      case 'custom':
        return true;
      case 'server': {
        const token = bearerToken(req);
        if (!token) throw new HubError('auth.required', 'A server enrollment token is required');
        req.authServer = await this.servers.verify(token, req);
        return true;
      }
      case 'user':
      case 'admin': {
        const user = await this.authenticateUser(req, { cookie: true });
        if (kind === 'admin' && !user.isAdmin) {
          throw new HubError('auth.not_admin', 'Administrator rights are required');
        }
        const opts = this.reflector.getAllAndOverride<UserAuthOptions | undefined>(AUTH_OPTS, targets) ?? {};
        if (opts.localOnly && user.linkedHubId) {
          throw new HubError('auth.forbidden', 'Linked accounts from another hub cannot do this');
        }
        req.authUser = user;
        return true;
      }
      default:
        throw new HubError('auth.required', 'This route declares no access rule');
    }
  }

  /**
   * Verify the access JWT (ES256, through the passport strategy) and load the user: disabled or deleted users are refused at once.
   * `cookie`: without a Bearer header, the browser session cookie counts too (its unsafe requests pass the CSRF check first);
   * routes that serve relayed content keep to Bearer, so a server's pages never act with a hub session.
   */
  async authenticateUser(req: FastifyRequest, o: { cookie?: boolean } = {}): Promise<AuthUser> {
    const token = bearerToken(req) ?? (o.cookie ? cookieAccessToken(req, this.cfg) : undefined);
    if (!token) throw new HubError('auth.required', 'Authentication is required');
    const payload = await this.access.verify(token);
    const user = await this.users.findById(payload.sub!);
    if (!user) throw new HubError('auth.invalid_token', 'The token is invalid');
    if (user.disabled) throw new HubError('auth.user_disabled', 'This account is disabled');
    for (const check of this.registry.userChecks) await check(user, payload);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      isAdmin: !!user.isAdmin && !user.linkedHubId,
      linkedHubId: user.linkedHubId,
      tokenJti: payload.jti!,
      sessionId: typeof payload.sid === 'string' ? payload.sid : null,
    };
  }
}
