import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { UsersService } from '../users/users.service.js';
import { KeysService } from '../auth/keys.service.js';
import { AuditService } from '../audit/audit.service.js';
import { HubError } from '../common/hub-error.js';
import { isEmail } from 'class-validator';
import { USERNAME_RE } from '../auth/dto/auth.dto.js';
import { migrationLog, runMigrationsLocked } from '../database/database.module.js';
import { fail, out } from './cli-io.js';

interface UserCreateOpts {
  username?: string;
  email?: string;
  password?: string;
  admin?: boolean;
}

@Command({ name: 'user:create', description: 'Create a user account (reads the same env as the server)' })
export class UserCreateCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {
    super();
  }

  async run(_p: string[], o: UserCreateOpts): Promise<void> {
    if (!o.username) fail('user:create: --username is required', 2);
    if (!USERNAME_RE.test(o.username!)) {
      fail('user:create: --username must be 3–50 letters, digits, _ . - and start with a letter or digit', 2);
    }
    if (!o.email) fail('user:create: --email is required', 2);
    if (o.email!.length > 254 || !isEmail(o.email!)) {
      fail(`user:create: --email "${o.email}" is not an email address`, 2);
    }
    if (!o.password) fail('user:create: --password is required', 2);
    if (o.password!.length < 8 || o.password!.length > 4096) {
      fail('user:create: --password must be 8–4096 characters', 2);
    }
    try {
      const u = await this.users.create({
        username: o.username!,
        email: o.email!,
        password: o.password!,
        isAdmin: !!o.admin,
      });
      await this.audit.record({
        action: 'cli.user_created',
        actorType: 'cli',
        targetType: 'user',
        targetId: u.id,
        details: { is_admin: u.isAdmin },
      });
      out(JSON.stringify({ id: u.id, username: u.username, email: u.email, is_admin: u.isAdmin }));
    } catch (e) {
      if (e instanceof HubError) fail(`user:create: ${(e.getResponse() as { error: string }).error}`, 1);
      throw e;
    }
  }

  @Option({ flags: '--username <username>' }) parseUsername(v: string) {
    return v;
  }
  @Option({ flags: '--email <email>' }) parseEmail(v: string) {
    return v;
  }
  @Option({ flags: '--password <password>' }) parsePassword(v: string) {
    return v;
  }
  @Option({ flags: '--admin', description: 'make the user an administrator' }) parseAdmin() {
    return true;
  }
}

@Command({
  name: 'keys:rotate',
  description:
    'Add new hub signing keys (Ed25519 and the P-256 access-token key); the old ones stay published for HUB_KEY_ROTATION_GRACE seconds',
})
export class KeysRotateCommand extends CommandRunner {
  constructor(
    private readonly keys: KeysService,
    private readonly audit: AuditService,
  ) {
    super();
  }
  async run(): Promise<void> {
    const kid = await this.keys.rotate();
    const accessKid = this.keys.currentAccessKid();
    await this.audit.record({
      action: 'cli.keys_rotated',
      actorType: 'cli',
      targetType: 'key',
      targetId: kid,
      details: { access_kid: accessKid },
    });
    out(JSON.stringify({ kid, access_kid: accessKid, published: this.keys.jwks().keys.map((k) => k.kid) }));
  }
}

@Command({ name: 'migrate', description: 'Apply pending database migrations and exit' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly ds: DataSource) {
    super();
  }
  /** cli.ts forces DB_RUN_MIGRATIONS=true for this command, so start-up already applied them; report that run too. */
  async run(): Promise<void> {
    await runMigrationsLocked(this.ds);
    const pending = await this.ds.showMigrations();
    out(
      JSON.stringify({
        applied: [...new Set(migrationLog.applied)],
        pending: pending ? 'some' : 0,
        total: this.ds.migrations.length,
      }),
    );
    if (pending) fail('migrate: migrations are still pending', 1);
  }
}

export const CORE_COMMANDS = [UserCreateCommand, KeysRotateCommand, MigrateCommand];
