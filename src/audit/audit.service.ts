import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditAction, AuditActorType, AuditOutcome } from './audit-actions.js';

export type { AuditAction, AuditActorType, AuditOutcome } from './audit-actions.js';

export interface AuditEvent {
  /** one of the catalogue in audit-actions.ts, e.g. auth.login_failed, server.claimed, share.created */
  action: AuditAction;
  actorType?: AuditActorType;
  actorId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  outcome?: AuditOutcome;
  /** small, non-secret facts */
  details?: Record<string, unknown>;
}

/** Someone interested in every recorded act (metrics counters). Called synchronously; must not throw. */
export type AuditListener = (e: { action: AuditAction; outcome: AuditOutcome; actorType: AuditActorType }) => void;

/** Keys whose values are never stored, at any depth of `details`. */
export const SECRET_KEYS = /pass|token|secret|hash|jwt|code|key|cookie|authorization|credential|signature|otp|nonce/i;
/** Values that look like bearer material (JWTs, PEM keys) are blanked even under innocent keys. */
const SECRET_VALUE = /^(eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*|-----BEGIN [A-Z ]+-----[\s\S]*)$/;
const MAX_DEPTH = 4;

/** Drop secret keys (recursively) and blank secret-looking values. */
export function scrubDetails(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return SECRET_VALUE.test(v.trim()) ? '[redacted]' : v.slice(0, 500);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => scrubDetails(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (SECRET_KEYS.test(k) || x === undefined) continue;
    out[k] = scrubDetails(x, depth + 1);
  }
  return out;
}

/** Append-only record of security-relevant acts. Never throws into the caller; never stores secrets. */
@Injectable()
export class AuditService {
  private readonly log = new Logger('Audit');
  private readonly listeners: AuditListener[] = [];
  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
  ) {}

  /** Register a listener for every recorded act (e.g. metrics counters). */
  subscribe(l: AuditListener): void {
    this.listeners.push(l);
  }

  async record(e: AuditEvent): Promise<void> {
    const details = e.details ? (scrubDetails(e.details) as Record<string, unknown>) : null;
    const actorType = e.actorType ?? (e.actorId ? 'user' : 'anonymous');
    const outcome = e.outcome ?? 'success';
    try {
      await this.repo.insert({
        id: randomUUID(),
        at: this.clock.now(),
        action: e.action.slice(0, 64),
        actorType,
        actorId: e.actorId ?? null,
        targetType: e.targetType?.slice(0, 32) ?? null,
        targetId: e.targetId?.slice(0, 191) ?? null,
        ip: e.ip?.slice(0, 64) ?? null,
        outcome,
        details: details && Object.keys(details).length ? JSON.stringify(details).slice(0, 4000) : null,
      });
    } catch (err) {
      this.log.error(`audit write failed for ${e.action}: ${(err as Error).message}`);
    }
    for (const l of this.listeners) {
      try {
        l({ action: e.action, outcome, actorType });
      } catch {
        /* listeners never break the caller */
      }
    }
  }
}
