import { Injectable } from '@nestjs/common';
import { sha256Hex } from '../common/sha256.js';
import { HubConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { rateLimited } from '../common/hub-error.js';
import { RateLimitService } from '../common/rate-limit.service.js';
import { AuditRepository } from '../audit/audit.repository.js';

/** Failure window of the counters (seconds). */
export const LOGIN_WINDOW = 900;
/** A sign-in from an address makes it "known" to that account for this long (seconds). */
export const KNOWN_ADDRESS_TTL = 30 * 86400;
/** Longest lock of one account+address pair (seconds); locks double from LOGIN_WINDOW up to this. */
export const MAX_PAIR_LOCK = 86400;

export interface LoginAttempt {
  /** account id, or the lower-cased login when no such account exists */
  account: string;
  userId: string | null;
  ip: string;
}

interface Counter {
  key: string;
  count: number;
  resetAt: number;
}

/**
 * Sign-in throttling that stops guessing without letting anyone lock the owner out
 * (OWASP authentication guidance). All counters live in the database (every process shares them).
 *  - per account + address: HUB_LOGIN_MAX_FAILURES failures per 15 min; each time the pair goes over,
 *    it is locked for 15 min, then 30, 60, … up to 24 h (progressive, reset by a success);
 *  - per address, across accounts: HUB_LOGIN_IP_MAX_FAILURES per 15 min (credential stuffing);
 *  - per account, across addresses: HUB_LOGIN_ACCOUNT_MAX_FAILURES per 15 min (distributed guessing).
 *  The last two do not apply to an address the account signed in from in the last 30 days, so an
 *  attacker elsewhere (or behind the owner's NAT, guessing other accounts) cannot lock the owner out.
 * Attempts are counted before the password check (parallel guesses cannot overshoot); a success
 * takes its count back. Refusals are audited as ONE row per counter and window, carrying the count.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly cfg: HubConfig,
    private readonly limits: RateLimitService,
    private readonly clock: Clock,
    private readonly auditLogs: AuditRepository,
  ) {}

  /** Count the attempt; throws 429 (and audits) when it may not go on to a password check. */
  async admit(a: LoginAttempt): Promise<void> {
    const pair = `${a.account}:${a.ip}`;
    const lock = await this.peek(`login:lock:${pair}`);
    if (lock) {
      const l = await this.limits.hit(lock.key, LOGIN_WINDOW); // active row: counts the refusal, keeps its end
      return this.refuse(a, { ...l, key: lock.key }, l.count, 'pair');
    }
    const known = await this.peek(`login:known:${pair}`);
    const byPair = await this.counter(`login:pair:${pair}`);
    const byIp = await this.counter(`login:ip:${a.ip}`);
    const byAcct = await this.counter(`login:acct:${a.account}`);
    if (byPair.count > this.cfg.auth.loginMaxFailures) {
      const strikes = await this.limits.hit(`login:strikes:${pair}`, MAX_PAIR_LOCK);
      const lockFor = Math.min(LOGIN_WINDOW * 2 ** Math.min(strikes.count - 1, 16), MAX_PAIR_LOCK);
      const l = await this.limits.hit(`login:lock:${pair}`, lockFor);
      return this.refuse(a, { ...l, key: `login:lock:${pair}` }, l.count, 'pair');
    }
    if (!known && byIp.count > this.cfg.auth.loginIpMaxFailures) {
      return this.refuse(a, byIp, byIp.count - this.cfg.auth.loginIpMaxFailures, 'ip');
    }
    if (!known && byAcct.count > this.cfg.auth.loginAccountMaxFailures) {
      return this.refuse(a, byAcct, byAcct.count - this.cfg.auth.loginAccountMaxFailures, 'account');
    }
  }

  /** The password was right: take the attempt back, clear the pair, remember the address. */
  async succeeded(a: LoginAttempt): Promise<void> {
    const pair = `${a.account}:${a.ip}`;
    await this.limits.undo(`login:ip:${a.ip}`);
    await this.limits.undo(`login:acct:${a.account}`);
    await this.limits.reset(`login:pair:${pair}`);
    await this.limits.reset(`login:strikes:${pair}`);
    if (!(await this.peek(`login:known:${pair}`))) await this.limits.hit(`login:known:${pair}`, KNOWN_ADDRESS_TTL);
  }

  private counter(key: string): Promise<Counter> {
    return this.limits.hit(key, LOGIN_WINDOW).then((c) => ({ ...c, key }));
  }

  /** The live row of a key, or null (absent or its window is over). */
  private async peek(key: string): Promise<Counter | null> {
    const row = await this.limits.peek(key);
    return row && { key, ...row };
  }

  private async refuse(a: LoginAttempt, c: Counter, refused: number, limit: string): Promise<never> {
    await this.auditRefusal(a, c, Math.max(1, refused), limit);
    throw rateLimited(
      'auth.rate_limited',
      (c.resetAt - this.clock.now()) / 1000,
      'Too many failed sign-in attempts; try again later',
    );
  }

  /**
   * One `auth.login_limited` row per counter and window (its id is derived from both), updated in
   * place with the number of refused attempts so far: a flood of refusals is one row, not thousands.
   */
  private async auditRefusal(a: LoginAttempt, c: Counter, refused: number, limit: string): Promise<void> {
    const id = uuidFrom(`auth.login_limited|${c.key}|${c.resetAt}`);
    const now = this.clock.now();
    const details = JSON.stringify({ limit, refused, until: new Date(c.resetAt).toISOString() });
    try {
      if (await this.auditLogs.updateDetails(id, details, now)) return;
      await this.auditLogs.insert({
        id,
        at: now,
        action: 'auth.login_limited',
        actorType: a.userId ? 'user' : 'anonymous',
        actorId: a.userId,
        targetType: null,
        targetId: null,
        ip: a.ip.slice(0, 64),
        outcome: 'denied',
        details,
      });
    } catch {
      // a concurrent refusal inserted the row first: count on it
      await this.auditLogs.updateDetails(id, details, now).catch(() => undefined);
    }
  }
}

/** A stable UUID-shaped id for a name (so every process picks the same audit row). */
function uuidFrom(name: string): string {
  const h = sha256Hex(name);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
