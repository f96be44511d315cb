import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { DbDialect } from '../database/dialect.js';
import { User } from './entities/user.entity.js';
import { PasswordService } from './password.service.js';
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

export type UserPatch = Partial<Pick<User, 'username' | 'displayName' | 'isAdmin' | 'disabled' | 'region' | 'email' | 'passwordHash'>>;


@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly repo: Repository<User>,
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
    private readonly passwords: PasswordService,
    private readonly clock: Clock,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** The accounts among these ids (unknown ids are left out). */
  findByIds(ids: string[]): Promise<User[]> {
    return ids.length ? this.repo.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  /** By username, case-insensitive. */
  findByUsername(username: string): Promise<User | null> {
    return this.repo.findOne({ where: { usernameLower: username.trim().toLowerCase() } });
  }

  /** By email (stored lower-cased). */
  findByEmail(email: string): Promise<User | null> {
    return this.repo.findOne({ where: { email: email.trim().toLowerCase() } });
  }

  async getById(id: string): Promise<User> {
    const u = await this.findById(id);
    if (!u) throw new HubError('user.not_found', 'No such user');
    return u;
  }

  /** Find by username (case-insensitive) or email. */
  findByLogin(login: string): Promise<User | null> {
    const l = login.trim().toLowerCase();
    return l.includes('@') ? this.repo.findOne({ where: { email: l } }) : this.repo.findOne({ where: { usernameLower: l } });
  }

  count(): Promise<number> {
    return this.repo.count();
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
    const u = this.repo.create({
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
    if (await this.repo.exists({ where: { isAdmin: true, linkedHubId: IsNull() } })) return false;
    try {
      await this.ds.transaction(async (m) => {
        await m.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['first_admin', id, this.clock.now()]);
        await m.update(User, { id }, { isAdmin: true });
      });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /** 409 if the username (case-insensitive) or email is used by another account. */
  async assertFree(usernameLower: string | null, email: string | null, exceptId?: string): Promise<void> {
    const other = exceptId ? { id: Not(exceptId) } : {};
    if (usernameLower && (await this.repo.exists({ where: { usernameLower, ...other } }))) throw new HubError('user.username_taken', 'That username is taken');
    if (email && (await this.repo.exists({ where: { email, ...other } }))) throw new HubError('user.email_taken', 'That email is already registered');
  }

  /** Change fields of a user (404 unknown, 409 username/email taken). Username/email are normalised here. */
  async update(id: string, patch: UserPatch, m: EntityManager = this.repo.manager): Promise<User> {
    if (!(await m.findOne(User, { where: { id } }))) throw new HubError('user.not_found', 'No such user');
    const set: Partial<User> = { ...patch, updatedAt: this.clock.now() };
    if (patch.username !== undefined) set.usernameLower = patch.username.toLowerCase();
    if (patch.email) set.email = patch.email.trim().toLowerCase();
    await this.assertFree(set.usernameLower ?? null, patch.email === undefined ? null : set.email ?? null, id);
    try {
      await m.update(User, { id }, set);
    } catch (e) {
      if (isUniqueViolation(e)) {
        await this.assertFree(set.usernameLower ?? null, set.email ?? null, id);
        throw new HubError('user.username_taken', 'That username or email is taken');
      }
      throw e;
    }
    return (await m.findOne(User, { where: { id } }))!;
  }

  async setPassword(id: string, password: string): Promise<void> {
    await this.update(id, { passwordHash: await this.passwords.hash(password) });
  }

  /** Active local administrators. */
  async countAdmins(): Promise<number> {
    return this.repo.count({ where: { isAdmin: true, disabled: false, linkedHubId: IsNull() } });
  }

  /**
   * Run `change` (a demotion, disabling or deletion of `id`) only if at least one OTHER active
   * local admin remains; else 409 user.last_admin. Atomic: admin rows are locked on MySQL, and
   * SQLite transactions are serialised (src/database/sqlite-serial.ts), so two admins demoting
   * each other at once cannot leave the hub without an admin.
   */
  async withAdminGuard<T>(id: string, change: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(
        `SELECT id FROM users WHERE is_admin = ? AND disabled = ? AND linked_hub_id IS NULL ${this.dialect.forUpdate}`,
        [true, false],
      );
      if (rows.some((r) => r.id === id) && !rows.some((r) => r.id !== id)) {
        throw new HubError('user.last_admin', 'The last administrator cannot be demoted, disabled or deleted');
      }
      return change(m);
    });
  }

  repository(): Repository<User> {
    return this.repo;
  }
}
