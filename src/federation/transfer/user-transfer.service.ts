import { Injectable } from '@nestjs/common';
import { HubConfig } from '../../config/config.js';
import { Clock } from '../../common/clock.js';
import { AuditService } from '../../audit/audit.service.js';
import { USERNAME_RE } from '../../auth/dto/auth.dto.js';
import type { User } from '../../users/entities/user.entity.js';
import { UsersRepository } from '../../users/users.repository.js';
import { HUB_ID_RE } from '../jwks.js';
import {
  DryRunRollback,
  duplicates,
  emptyReport,
  envelope,
  ImportOptions,
  ImportReport,
  itemsOf,
  note,
  readImportFile,
  recordsOf,
  TransferError,
} from './export-format.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const REGION_RE = /^[a-z0-9-]{1,32}$/;
/** shadow usernames (`name@hub`) may hold characters local sign-ups may not */
const SHADOW_USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,49}$/;
const ARGON2ID_RE = /^\$argon2id\$v=\d+\$[a-z]=\d+(,[a-z]=\d+)*\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** One user as exported: everything a new hub needs, the argon2id hash kept as is. */
export interface ExportedUser {
  id: string;
  username: string;
  email: string | null;
  password_hash: string | null;
  display_name: string;
  is_admin: boolean;
  disabled: boolean;
  region: string | null;
  linked_hub_id: string | null;
  remote_user_id: string | null;
  created_at: string;
}

interface ValidUser extends ExportedUser {
  createdAtMs: number;
}

function toExported(u: User): ExportedUser {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    password_hash: u.passwordHash,
    display_name: u.displayName,
    is_admin: !!u.isAdmin && !u.linkedHubId,
    disabled: !!u.disabled,
    region: u.region,
    linked_hub_id: u.linkedHubId,
    remote_user_id: u.remoteUserId,
    created_at: new Date(u.createdAt).toISOString(),
  };
}

/** `user:export` / `user:import` (migration to another hub). */
@Injectable()
export class UserTransferService {
  constructor(
    private readonly users: UsersRepository,
    private readonly cfg: HubConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async exportAll() {
    const rows = await this.users.findAllOldestFirst();
    await this.audit.record({
      action: 'cli.users_exported',
      actorType: 'cli',
      targetType: 'hub',
      targetId: this.cfg.hub.id,
      details: { count: rows.length },
    });
    return envelope('users', this.cfg.hub.id, this.clock.now(), rows.map(toExported));
  }

  async importFile(path: string, opts: ImportOptions): Promise<ImportReport> {
    return this.import(readImportFile(path), opts);
  }

  /** Validate everything first (nothing written on any problem), then one transaction; re-running adds nothing. */
  async import(doc: unknown, opts: ImportOptions): Promise<ImportReport> {
    if (opts.hub !== this.cfg.hub.id) {
      throw new TransferError(
        `--hub "${opts.hub}" is not this hub (this hub's HUB_ID is "${this.cfg.hub.id}"); refusing to import`,
      );
    }
    const region = opts.filterRegion?.trim().toLowerCase();
    if (region !== undefined && !REGION_RE.test(region)) {
      throw new TransferError('--filter-region must be 1–32 lower-case letters, digits or -');
    }
    const valid = this.validate(itemsOf(doc, 'users'));
    const report = emptyReport('users', opts, valid.length);
    try {
      await this.users.transaction(async (repo) => {
        const existing = await repo.findAllIdentities();
        const byId = new Set(existing.map((u) => u.id));
        const names = new Set(existing.map((u) => u.usernameLower));
        const emails = new Set(existing.filter((u) => u.email).map((u) => u.email!));
        const links = new Set(existing.filter((u) => u.linkedHubId).map((u) => `${u.linkedHubId}\n${u.remoteUserId}`));
        const now = this.clock.now();
        const rows: User[] = [];
        for (const u of valid) {
          const rec = u.username;
          if (region !== undefined && (u.region ?? '') !== region) {
            note(report, rec, 'skipped', `region ${u.region ?? '(none)'} is not ${region}`);
            continue;
          }
          if (byId.has(u.id)) {
            note(report, rec, 'skipped', 'already on this hub (same account id)');
            continue;
          }
          const lower = u.username.toLowerCase();
          if (names.has(lower)) {
            note(report, rec, 'rejected', 'username is taken on this hub by another account');
            continue;
          }
          if (u.email && emails.has(u.email)) {
            note(report, rec, 'rejected', 'email is registered on this hub by another account');
            continue;
          }
          if (u.linked_hub_id === this.cfg.hub.id) {
            note(report, rec, 'rejected', 'linked account of this very hub');
            continue;
          }
          if (u.linked_hub_id && links.has(`${u.linked_hub_id}\n${u.remote_user_id}`)) {
            note(report, rec, 'rejected', 'this linked account already exists here under another id');
            continue;
          }
          byId.add(u.id);
          names.add(lower);
          if (u.email) emails.add(u.email);
          if (u.linked_hub_id) links.add(`${u.linked_hub_id}\n${u.remote_user_id}`);
          rows.push(
            repo.build({
              id: u.id,
              username: u.username,
              usernameLower: lower,
              email: u.email,
              passwordHash: u.password_hash,
              displayName: u.display_name,
              isAdmin: u.is_admin && !u.linked_hub_id,
              disabled: u.disabled,
              region: u.region,
              linkedHubId: u.linked_hub_id,
              remoteUserId: u.remote_user_id,
              createdAt: u.createdAtMs,
              updatedAt: now,
            }),
          );
        }
        for (let i = 0; i < rows.length; i += 200) await repo.insert(rows.slice(i, i + 200));
        report.created = rows.length;
        if (opts.dryRun) throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
    if (!opts.dryRun) {
      await this.audit.record({
        action: 'cli.users_imported',
        actorType: 'cli',
        targetType: 'hub',
        targetId: this.cfg.hub.id,
        details: {
          created: report.created,
          skipped: report.skipped,
          rejected: report.rejected,
          region: region ?? null,
        },
      });
    }
    return report;
  }

  private validate(items: unknown[]): ValidUser[] {
    const { checkers, problems } = recordsOf(items, 'users');
    const out: ValidUser[] = [];
    for (const c of checkers) {
      const id = c.str('id', { max: 36, re: UUID_RE, what: 'a UUID' });
      const linked = c.str('linked_hub_id', { max: 128, nullable: true, re: HUB_ID_RE, what: 'a hub id' });
      const remote = c.str('remote_user_id', { max: 191, nullable: true });
      if ((linked === null) !== (remote === null)) {
        c.fail('remote_user_id', 'linked_hub_id and remote_user_id go together');
      }
      const username = c.str('username', {
        max: 50,
        re: linked ? SHADOW_USERNAME_RE : USERNAME_RE,
        what: 'a valid username',
      });
      const email = c.str('email', { max: 254, nullable: !!linked, re: EMAIL_RE, what: 'an email address' });
      const hash = c.str('password_hash', { max: 255, nullable: true, re: ARGON2ID_RE, what: 'an argon2id hash' });
      const display = c.str('display_name', { max: 100 });
      const isAdmin = c.bool('is_admin');
      const disabled = c.bool('disabled');
      const region = c.str('region', {
        max: 32,
        nullable: true,
        re: REGION_RE,
        what: 'a region (lower-case letters, digits, -)',
      });
      const created = c.date('created_at');
      problems.push(...c.problems);
      if (!c.problems.length) {
        out.push({
          id: id!.toLowerCase(),
          username: username!,
          email: email ? email.toLowerCase() : null,
          password_hash: hash,
          display_name: display!,
          is_admin: isAdmin,
          disabled,
          region,
          linked_hub_id: linked,
          remote_user_id: remote,
          created_at: '',
          createdAtMs: created!,
        });
      }
    }
    if (!problems.length) {
      problems.push(
        ...duplicates(
          out.map((u) => u.id),
          'users',
          'id',
        ),
        ...duplicates(
          out.map((u) => u.username.toLowerCase()),
          'users',
          'username',
        ),
        ...duplicates(
          out.map((u) => u.email),
          'users',
          'email',
        ),
        ...duplicates(
          out.map((u) => (u.linked_hub_id ? `${u.linked_hub_id}/${u.remote_user_id}` : null)),
          'users',
          'linked account',
        ),
      );
    }
    if (problems.length) {
      throw new TransferError(
        `the users file is invalid (${problems.length} problem${problems.length > 1 ? 's' : ''}; nothing was imported)`,
        problems,
      );
    }
    return out;
  }
}
