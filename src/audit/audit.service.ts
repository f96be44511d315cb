import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AuditLog } from './entities/audit-log.entity.js';

export interface AuditEvent {
  /** e.g. auth.login_failed, server.claimed, share.created */
  action: string;
  actorType?: 'user' | 'admin' | 'server' | 'system' | 'cli' | 'anonymous';
  actorId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  outcome?: 'success' | 'failure' | 'denied';
  /** small, non-secret facts */
  details?: Record<string, unknown>;
}

const SECRET_KEYS = /pass|token|secret|hash|jwt|code|key/i;

/** Append-only record of security-relevant acts. Never throws into the caller; never stores secrets. */
@Injectable()
export class AuditService {
  private readonly log = new Logger('Audit');
  constructor(@InjectRepository(AuditLog) private readonly repo: Repository<AuditLog>, private readonly clock: Clock) {}

  async record(e: AuditEvent): Promise<void> {
    const details = e.details ? Object.fromEntries(Object.entries(e.details).filter(([k]) => !SECRET_KEYS.test(k))) : null;
    try {
      await this.repo.insert({
        id: randomUUID(),
        at: this.clock.now(),
        action: e.action.slice(0, 64),
        actorType: e.actorType ?? (e.actorId ? 'user' : 'anonymous'),
        actorId: e.actorId ?? null,
        targetType: e.targetType ?? null,
        targetId: e.targetId ?? null,
        ip: e.ip?.slice(0, 64) ?? null,
        outcome: e.outcome ?? 'success',
        details: details ? JSON.stringify(details).slice(0, 4000) : null,
      });
    } catch (err) {
      this.log.error(`audit write failed for ${e.action}: ${(err as Error).message}`);
    }
  }
}
