import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { User } from './entities/user.entity.js';
import { PasswordService } from './password.service.js';
import { UsersRepository } from './users.repository.js';
import type { Page, PageQuery } from '../common/paging.js';
import { isUniqueViolation } from '../database/unique-violation.js';

export interface NewUser {
  username: string;
  email: string | null;
  password?: string;
  passwordHash?: string;
  displayName?: string;
  isAdmin?: boolean;
  region?: string | null;
  linkedHubId?: string | null;
  remoteUserId?: string | null;
}

export type UserPatch = Partial<
  Pick<User, 'username' | 'displayName' | 'isAdmin' | 'disabled' | 'region' | 'email' | 'passwordHash'>
>;

@Injectable()
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly clock: Clock,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.repo.findById(id);
  }

  /** By username, case-insensitive. */
  findByUsername(username: string): Promise<User | null> {
    return this.repo.findByUsernameLower(username.trim().toLowerCase());
  }

  /** By email (stored lower-cased). */
  findByEmail(email: string): Promise<User | null> {
    return this.repo.findByEmail(email.trim().toLowerCase());
  }

  async getById(id: string): Promise<User> {
    const u = await this.findById(id);
    if (!u) throw new HubError('user.not_found', 'No such user');
    return u;
  }

  /** Find by username (case-insensitive) or email. */
  findByLogin(login: string): Promise<User | null> {
    const l = login.trim().toLowerCase();
    return l.includes('@') ? this.repo.findByEmail(l) : this.repo.findByUsernameLower(l);
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  /** Every account, the admins among them and the disabled ones (dashboard). */
  accountCounts(): Promise<{ total: number; admins: number; disabled: number }> {
    return this.repo.accountCounts();
  }

  /**
   * Create a user. Duplicate username or email → 409. With `firstBecomesAdmin`, the account
   * becomes admin when the hub has no local administrator yet (the first sign-up); the election
   * is a single-row insert, so concurrent first sign-ups produce exactly one admin.
   */
  async create(n: NewUser, firstBecomesAdmin = false): Promise<User> {
    const now = this.clock.now();
    const email = n.email ? n.email.trim().toLowerCase() : null;
    const usernameLower = n.username.toLowerCase();
    await this.assertFree(usernameLower, email);
    const u = this.repo.build({
      id: randomUUID(),
      username: n.username,
      usernameLower,
      email,
      passwordHash: n.passwordHash ?? (n.password !== undefined ? await this.passwords.hash(n.password) : null),
      displayName: n.displayName?.trim() || n.username,
      isAdmin: !!n.isAdmin,
      disabled: false,
      region: n.region ?? null,
      linkedHubId: n.linkedHubId ?? null,
      remoteUserId: n.remoteUserId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.repo.insert(u);
    } catch (e) {
      if (isUniqueViolation(e)) {
        await this.assertFree(usernameLower, email); // which one? (lost a race with another sign-up)
        throw new HubError('user.username_taken', 'That username or email is taken');
      }
      throw e;
    }
    if (firstBecomesAdmin && !u.isAdmin && !u.linkedHubId && (await this.electFirstAdmin(u.id))) u.isAdmin = true;
    return u;
  }

  private async electFirstAdmin(id: string): Promise<boolean> {
    if (await this.repo.hasLocalAdmin()) return false;
    try {
      await this.repo.promoteFirstAdmin(id, this.clock.now());
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /** 409 if the username (case-insensitive) or email is used by another account. */
  async assertFree(usernameLower: string | null, email: string | null, exceptId?: string): Promise<void> {
    if (usernameLower && (await this.repo.usernameTaken(usernameLower, exceptId))) {
      throw new HubError('user.username_taken', 'That username is taken');
    }
    if (email && (await this.repo.emailTaken(email, exceptId))) {
      throw new HubError('user.email_taken', 'That email is already registered');
    }
  }

  /** Change fields of a user (404 unknown, 409 username/email taken). Username/email are normalised here. */
  async update(id: string, patch: UserPatch, tx: UsersRepository = this.repo): Promise<User> {
    if (!(await tx.findById(id))) throw new HubError('user.not_found', 'No such user');
    const set: Partial<User> = { ...patch, updatedAt: this.clock.now() };
    if (patch.username !== undefined) set.usernameLower = patch.username.toLowerCase();
    if (patch.email) set.email = patch.email.trim().toLowerCase();
    await this.assertFree(set.usernameLower ?? null, patch.email === undefined ? null : (set.email ?? null), id);
    try {
      await tx.update(id, set);
    } catch (e) {
      if (isUniqueViolation(e)) {
        await this.assertFree(set.usernameLower ?? null, set.email ?? null, id);
        throw new HubError('user.username_taken', 'That username or email is taken');
      }
      throw e;
    }
    return (await tx.findById(id))!;
  }

  async setPassword(id: string, password: string): Promise<void> {
    await this.update(id, { passwordHash: await this.passwords.hash(password) });
  }

  /** Active local administrators. */
  async countAdmins(): Promise<number> {
    return this.repo.countActiveAdmins();
  }

  /**
   * Run `change` (a demotion, disabling or deletion of `id`) only if at least one OTHER active
   * local admin remains; else 409 user.last_admin. Atomic: admin rows are locked on MySQL, and
   * SQLite transactions are serialised (src/database/sqlite-serial.ts), so two admins demoting
   * each other at once cannot leave the hub without an admin.
   */
  async withAdminGuard<T>(id: string, change: (tx: UsersRepository) => Promise<T>): Promise<T> {
    return this.repo.transaction(async (tx) => {
      const admins = await tx.lockActiveAdminIds();
      if (admins.includes(id) && !admins.some((a) => a !== id)) {
        throw new HubError('user.last_admin', 'The last administrator cannot be demoted, disabled or deleted');
      }
      return change(tx);
    });
  }

  /** Delete an account; false when there was none. Inside `tx`'s transaction when given. */
  async delete(id: string, tx: UsersRepository = this.repo): Promise<boolean> {
    return (await tx.deleteById(id)) > 0;
  }

  /** One page of accounts, oldest first, matching `q` in username, email or display name when given. */
  search(q: string | undefined, page: PageQuery): Promise<Page<User>> {
    return this.repo.search(q, page);
  }

  /** The accounts among these ids (unknown ids are left out). */
  findByIds(ids: string[]): Promise<User[]> {
    return ids.length ? this.repo.findByIds(ids) : Promise.resolve([]);
  }

  /** Ids of the shadow accounts linked from hub `linkedHubId`. */
  idsLinkedTo(linkedHubId: string): Promise<string[]> {
    return this.repo.idsLinkedTo(linkedHubId);
  }

  countLinkedTo(linkedHubId: string): Promise<number> {
    return this.repo.countLinkedTo(linkedHubId);
  }

  /** linked hub id → number of its shadow accounts */
  countLinkedByHub(): Promise<Map<string, number>> {
    return this.repo.countLinkedByHub();
  }

  /** The shadow account of a user of a linked hub, if it exists. */
  findLinked(linkedHubId: string, remoteUserId: string): Promise<User | null> {
    return this.repo.findLinked(linkedHubId, remoteUserId);
  }
}
