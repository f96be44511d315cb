import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthServer } from './auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';
import type { JWTPayload } from 'jose';

/** Verifies a server's bearer token (the enrollment JWT) and returns who it is, or throws HubError. */
export type ServerVerifier = (token: string, req: FastifyRequest) => Promise<AuthServer>;

/**
 * Extra per-request checks on a signed-in user (e.g. federation: is the user's peer hub blocked?;
 * auth: has the access token's session ended?). `access`: the verified access-token claims when the
 * user came with one (absent at sign-in/refresh). Throw HubError to refuse.
 */
export type UserCheck = (user: User, access?: JWTPayload) => Promise<void> | void;

/**
 * Lets feature modules plug their credential checks into the one global guard
 * without the common layer importing them (register in onModuleInit).
 */
@Injectable()
export class AuthRegistry {
  serverVerifier?: ServerVerifier;
  readonly userChecks: UserCheck[] = [];

  setServerVerifier(v: ServerVerifier): void {
    this.serverVerifier = v;
  }

  addUserCheck(c: UserCheck): void {
    this.userChecks.push(c);
  }
}
