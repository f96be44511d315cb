import type { AuditService } from '../../audit/audit.service.js';
import { Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { decodeHello, encodeHelloAck, HandshakeError } from '../codec/index.js';
import { encodeCreditHelloAck, readCreditOffer } from '../codec/credit.js';
import type { ServerVerifier } from '../../common/server-verifier.js';
import type { RelaySessionsService } from '../relay-sessions.service.js';
import type { Tunnel } from './tunnel.js';

/** Longest HELLO text accepted (a JWT plus a few fields). */
export const MAX_HELLO_BYTES = 16 * 1024;

export interface HandshakeDeps {
  verifier: ServerVerifier;
  sessions: RelaySessionsService;
  /** per-stream window the hub grants our agent in credit mode */
  responseWindow: number;
  /** told of a well-formed HELLO whose credentials were refused (for the audit trail) */
  onRejected?: (t: Tunnel, claimedServerId: string, why: string) => void;
}

export type PromoteFn = (t: Tunnel) => void;

const log = new Logger('RelayHandshake');

/** exp (seconds) of an already verified JWT, read without re-verifying */
function jwtExp(token: string): number | null {
  try {
    const p = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof p.exp === 'number' ? p.exp : null;
  } catch {
    return null;
  }
}

/**
 * HELLO → verify → HELLO_ACK (docs/protocol/wire.md §1). The tunnel is parked (pending, not routable)
 * until the enrollment JWT verified and its server id matched; only then does `promote` make it
 * the server's tunnel. A rejected HELLO closes only the newcomer.
 */
export async function runHandshake(
  t: Tunnel,
  text: Buffer,
  upgradeReq: IncomingMessage,
  deps: HandshakeDeps,
  promote: PromoteFn,
): Promise<void> {
  if (text.length > MAX_HELLO_BYTES) return t.close('invalid_hello', 1008);
  let hello;
  try {
    hello = decodeHello(text);
  } catch (e) {
    return t.close(e instanceof HandshakeError ? e.reason : 'invalid_hello', 1008);
  }
  const verifier = deps.verifier;
  const refuse = (why: string) => {
    deps.onRejected?.(t, hello.serverId, why);
    t.close('unauthorized', 1008);
  };
  let who;
  try {
    // the verifier gets the upgrade request in place of a Fastify request (headers, ip)
    const req = Object.assign(Object.create(null), {
      headers: upgradeReq.headers,
      ip: t.remoteIp,
      raw: upgradeReq,
      url: upgradeReq.url,
      method: 'GET',
    });
    who = await verifier.verify(hello.enrollmentJwt, req as unknown as FastifyRequest);
  } catch (e) {
    return refuse((e as { code?: string }).code ?? 'invalid_token');
  }
  if (!who || who.serverId !== hello.serverId) return refuse('server_mismatch');
  if (t.state !== 'pending') return; // went away while we verified
  const offer = readCreditOffer(text);
  let sessionId: string;
  try {
    sessionId = await deps.sessions.open(who.serverId, t.tunnelId, t.remoteIp, offer ? 'credit' : 'plain');
  } catch (e) {
    log.error(`relay session insert failed: ${(e as Error).message}`);
    return t.close('tunnel_init_failed', 1011);
  }
  if (t.state !== 'pending') {
    await deps.sessions.close(sessionId, t.closeReason ?? 'server_closed', {
      bytesIn: t.bytesIn,
      bytesOut: t.bytesOut,
      lastFrameAt: t.lastFrameAt,
    });
    return;
  }
  t.jwtExp = jwtExp(hello.enrollmentJwt);
  t.activate(who.serverId, sessionId, offer, offer ? deps.responseWindow : 0);
  t.sendText(
    offer
      ? encodeCreditHelloAck(sessionId, t.tunnelId, deps.responseWindow)
      : encodeHelloAck({ relaySessionId: sessionId, tunnelId: t.tunnelId }, 'utf8'),
  );
  promote(t);
}

/** A well-formed HELLO whose credentials were refused goes on the audit trail, never blocking the close. */
export function auditRejection(audit: Pick<AuditService, 'record'>): NonNullable<HandshakeDeps['onRejected']> {
  return (t, claimedServerId, why) =>
    void audit.record({
      action: 'relay.tunnel_rejected',
      actorType: 'anonymous',
      targetType: 'server',
      targetId: claimedServerId.slice(0, 64),
      ip: t.remoteIp,
      outcome: 'denied',
      details: { reason: why },
    });
}
