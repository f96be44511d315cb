/** The hub's server-facing HTTP API, as the agent calls it (Accept-Phlix-Protocol: v1 everywhere). */
import type { KeyObject } from 'node:crypto';
import type { AgentPublicJwk } from './agent-state.js';
import { parseClaimRequest } from '../servers/wire/claim-request.js';
import { signClaimProof } from '../servers/wire/claim-proof.js';

export class HubApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
  /** the hub no longer accepts this enrollment (revoked, released, unknown server) */
  get revoked(): boolean {
    return (
      this.status === 404 ||
      (this.status === 401 && this.code !== 'auth.enrollment_expired') ||
      this.code === 'auth.server_mismatch'
    );
  }
}

export interface ClaimStart {
  claimId: string;
  claimCode: string;
  expiresIn: number;
  status: string;
}

export type ClaimPoll =
  | { status: 'pending' }
  | { status: 'expired' }
  | { status: 'claimed'; serverId: string; enrollmentJwt?: string; hubJwksUrl?: string; hubBaseUrl?: string };

export interface HeartbeatInfo {
  version: string;
  uptimeSeconds: number;
  activeSessions: number;
  hostnameCandidates: string[];
  /** path-prefix libraries of the origin */
  libraries?: { id: string; name: string; prefix: string }[];
  capabilities?: string[];
}

const PROTO = { 'Accept-Phlix-Protocol': 'v1' };

export class HubClient {
  readonly base: string;

  constructor(
    hubUrl: string,
    private readonly timeoutMs = 15000,
  ) {
    this.base = hubUrl.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown, jwt?: string): Promise<T> {
    const headers: Record<string, string> = { ...PROTO, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (jwt) headers.authorization = `Bearer ${jwt}`;
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await r.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      /* not JSON */
    }
    if (!r.ok) {
      throw new HubApiError(
        r.status,
        typeof json.code === 'string' ? json.code : undefined,
        `${method} ${path}: ${r.status} ${typeof json.error === 'string' ? json.error : text.slice(0, 200)}`,
      );
    }
    return json as T;
  }

  /**
   * claims/new with a key proof: a fresh hub challenge, signed with our Ed25519 private key over
   * the request as the hub reads it (docs/protocol/pairing.md), so nobody who merely copied our
   * public key can pair it.
   */
  async startClaim(o: {
    serverName: string;
    version: string;
    jwk: AgentPublicJwk;
    privateKey: KeyObject;
    hostnameCandidates: string[];
    claimToken?: string;
  }): Promise<ClaimStart> {
    const body: Record<string, unknown> = {
      serverName: o.serverName,
      version: o.version,
      publicKeysJwk: { keys: [o.jwk] },
      hostnameCandidates: o.hostnameCandidates,
      protocolVersion: 'v1',
      ...(o.claimToken ? { claimToken: o.claimToken } : {}),
    };
    const challenge = await this.call<{ challenge?: unknown }>('POST', '/api/v1/server-claims/challenge').then(
      (r) => r.challenge,
      (e: unknown) => {
        if (e instanceof HubApiError && e.status === 404) return null; // a hub without key proofs: pair as a stock server does
        throw e;
      },
    );
    if (challenge !== null && typeof challenge !== 'string') {
      throw new HubApiError(502, undefined, 'the hub answered no claim challenge');
    }
    if (challenge) body.keyProof = signClaimProof(o.privateKey, challenge, parseClaimRequest(body));
    const r = await this.call<Record<string, unknown>>('POST', '/api/v1/server-claims/new', body);
    return {
      claimId: String(r.claimId),
      claimCode: String(r.claimCode),
      expiresIn: Number(r.expiresIn),
      status: String(r.status ?? 'pending'),
    };
  }

  async pollClaim(claimId: string): Promise<ClaimPoll> {
    const r = await this.call<Record<string, unknown>>('GET', `/api/v1/server-claims/${encodeURIComponent(claimId)}`);
    if (r.status === 'claimed') {
      const s = (k: string, alt: string) =>
        typeof r[k] === 'string' ? (r[k] as string) : typeof r[alt] === 'string' ? (r[alt] as string) : undefined;
      return {
        status: 'claimed',
        serverId: s('server_id', 'serverId') ?? '',
        enrollmentJwt: s('enrollment_jwt', 'enrollmentJwt'),
        hubJwksUrl: s('hub_jwks_url', 'hubJwksUrl'),
        hubBaseUrl: s('hub_base_url', 'hubBaseUrl'),
      };
    }
    return { status: r.status === 'expired' ? 'expired' : 'pending' };
  }

  async heartbeat(serverId: string, jwt: string, info: HeartbeatInfo): Promise<void> {
    await this.call(
      'POST',
      `/api/v1/servers/${serverId}/heartbeat`,
      {
        serverId,
        version: info.version,
        timestamp: Math.floor(Date.now() / 1000),
        uptimeSeconds: info.uptimeSeconds,
        activeSessions: info.activeSessions,
        activeTranscodes: 0,
        hostnameCandidates: info.hostnameCandidates,
        libraries: (info.libraries ?? []).map((l) => ({
          library_id: l.id,
          library_name: l.name,
          path_prefix: l.prefix,
        })),
        ...(info.capabilities ? { capabilities: info.capabilities } : {}),
      },
      jwt,
    );
  }

  /** Rotate the enrollment JWT; returns the new one. */
  async renew(serverId: string, jwt: string): Promise<string> {
    const r = await this.call<Record<string, unknown>>('POST', `/api/v1/servers/${serverId}/renew`, undefined, jwt);
    const next = r.enrollment_jwt ?? r.enrollmentJwt;
    if (typeof next !== 'string') throw new HubApiError(502, undefined, 'renew answered no enrollment_jwt');
    return next;
  }

  /** Deregister: the hub drops its association with this server. */
  async deregister(serverId: string, jwt: string): Promise<void> {
    await this.call('DELETE', `/api/v1/servers/${serverId}`, undefined, jwt);
  }

  /** ws(s)://…/api/v1/relay/tunnel on the hub's main port. */
  tunnelUrl(): string {
    return `${this.base.replace(/^http/, 'ws')}/api/v1/relay/tunnel`;
  }
}
