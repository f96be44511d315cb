import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';

export const AUTH_KIND = 'phlix:auth-kind';
export const AUTH_OPTS = 'phlix:auth-opts';

/**
 * Every route declares who may call it:
 *  - public: anyone
 *  - user:   a signed-in user (access JWT). `{ localOnly: true }` refuses linked (shadow) accounts
 *  - admin:  a signed-in admin
 *  - server: a media server (enrollment JWT); verifier registered by the servers module
 *  - custom: the handler authenticates itself (e.g. metrics token, relay client token); `reason` documents how
 */
export type AuthKind = 'public' | 'user' | 'admin' | 'server' | 'custom';

export interface UserAuthOptions {
  localOnly?: boolean;
}

export const Public = () => SetMetadata(AUTH_KIND, 'public');
export const UserAuth = (opts: UserAuthOptions = {}) =>
  applyDecorators(SetMetadata(AUTH_KIND, 'user'), SetMetadata(AUTH_OPTS, opts), ApiBearerAuth());
export const AdminAuth = () => applyDecorators(SetMetadata(AUTH_KIND, 'admin'), ApiBearerAuth());
export const ServerAuth = () => applyDecorators(SetMetadata(AUTH_KIND, 'server'), ApiSecurity('enrollment-jwt'));
export const CustomAuth = (reason: string) =>
  applyDecorators(SetMetadata(AUTH_KIND, 'custom'), SetMetadata(AUTH_OPTS, { reason }));

/** The signed-in user, as the guard loaded it. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  /** peer hub id for linked (shadow) accounts, else null */
  linkedHubId: string | null;
  tokenJti: string;
  /** the session (refresh-token family) the access token belongs to, when it names one */
  sessionId: string | null;
}

/** The authenticated media server (enrollment JWT). */
export interface AuthServer {
  serverId: string;
  jti: string;
}

export const CurrentUser = createParamDecorator(
  (_d: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest().authUser,
);
export const CurrentServer = createParamDecorator(
  (_d: unknown, ctx: ExecutionContext): AuthServer => ctx.switchToHttp().getRequest().authServer,
);
