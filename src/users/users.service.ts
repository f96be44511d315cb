import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { HubError } from '../common/hub-error.js';
import { User } from './entities/user.entity.js';
import { PasswordService } from './password.service.js';

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

function isDuplicate(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; message?: string };
  return err?.code === 'ER_DUP_ENTRY' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed|Duplicate entry/i.test(err?.message ?? '');
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly repo: Repository<User>,
    private readonly ds: DataSource,
    private readonly passwords: PasswordService,
    private readonly clock: Clock,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.repo.findOne({ where: { id } });
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

  /** Create a user. Duplicate username or email → 409. The very first account becomes admin when `firstBecomesAdmin`. */
  async create(n: NewUser, firstBecomesAdmin = false): Promise<User> {
    const now = this.clock.now();
    const email = n.email ? n.email.trim().toLowerCase() : null;
    const usernameLower = n.username.toLowerCase();
    if (await this.repo.exists({ where: { usernameLower } })) throw new HubError('user.username_taken', 'That username is taken');
    if (email && (await this.repo.exists({ where: { email } }))) throw new HubError('user.email_taken', 'That email is already registered');
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
      if (isDuplicate(e)) throw new HubError('user.username_taken', 'That username or email is taken');
      throw e;
    }
    if (firstBecomesAdmin && !u.isAdmin && !u.linkedHubId && (await this.repo.count()) === 1) {
      // Single-row guard: exactly one process can win the first-admin election.
      try {
        await this.ds.query('INSERT INTO hub_meta (k, v, updated_at) VALUES (?, ?, ?)', ['first_admin', u.id, now]);
        await this.repo.update({ id: u.id }, { isAdmin: true });
        u.isAdmin = true;
      } catch (e) {
        if (!isDuplicate(e)) throw e;
      }
    }
    return u;
  }

  async update(id: string, patch: Partial<Pick<User, 'displayName' | 'isAdmin' | 'disabled' | 'region' | 'email' | 'passwordHash'>>): Promise<User> {
    await this.getById(id);
    try {
      await this.repo.update({ id }, { ...patch, updatedAt: this.clock.now() });
    } catch (e) {
      if (isDuplicate(e)) throw new HubError('user.email_taken', 'That email is already registered');
      throw e;
    }
    return this.getById(id);
  }

  async setPassword(id: string, password: string): Promise<void> {
    await this.update(id, { passwordHash: await this.passwords.hash(password) });
  }

  async countAdmins(): Promise<number> {
    return this.repo.count({ where: { isAdmin: true, disabled: false } });
  }

  repository(): Repository<User> {
    return this.repo;
  }
}
