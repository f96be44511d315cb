import type { FastifyRequest } from 'fastify';
import type { AuthServer } from './auth.decorators.js';

/**
 * Verifies a server's bearer token (the enrollment JWT) and returns who it is, or throws HubError
 * (a port). Consumed by the auth guard (`@ServerAuth()` routes) and the relay handshake; the
 * servers feature binds it to its enrollment service.
 */
export abstract class ServerVerifier {
  abstract verify(token: string, req: FastifyRequest): Promise<AuthServer>;
}
