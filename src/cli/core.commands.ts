import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { UsersService } from '../users/users.service.js';
import { KeysService } from '../auth/keys.service.js';
import { AuditService } from '../audit/audit.service.js';
import { HubError } from '../common/hub-error.js';
import { USERNAME_RE } from '../auth/dto/auth.dto.js';
import { fail, out } from './cli-io.js';

interface UserCreateOpts { username?: string; email?: string; password?: string; admin?: boolean }

@Command({ name: 'user:create', description: 'Create a user account (reads the same env as the server)' })
export class UserCreateCommand extends CommandRunner {
  constructor(private readonly users: UsersService, private readonly audit: AuditService) { super(); }

  async run(_p: string[], o: UserCreateOpts): Promise<void> {
    if (!o.username || !USERNAME_RE.test(o.username)) fail('--username is required (3–50 letters, digits, _ . -)', 2);
    if (!o.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(o.email)) fail('--email is required and must be an email address', 2);
    if (!o.password || o.password.length < 8 || o.password.length > 4096) fail('--password is required (8–4096 characters)', 2);
    try {
      const u = await this.users.create({ username: o.username!, email: o.email!, password: o.password!, isAdmin: !!o.admin });
      await this.audit.record({ action: 'cli.user_created', actorType: 'cli', targetType: 'user', targetId: u.id, details: { is_admin: u.isAdmin } });
      out(JSON.stringify({ id: u.id, username: u.username, email: u.email, is_admin: u.isAdmin }));
    } catch (e) {
      if (e instanceof HubError) fail((e.getResponse() as { error: string }).error, 1);
      throw e;
    }
  }

  @Option({ flags: '--username <username>' }) parseUsername(v: string) { return v; }
  @Option({ flags: '--email <email>' }) parseEmail(v: string) { return v; }
  @Option({ flags: '--password <password>' }) parsePassword(v: string) { return v; }
  @Option({ flags: '--admin', description: 'make the user an administrator' }) parseAdmin() { return true; }
}

@Command({ name: 'keys:rotate', description: 'Add a new hub signing key; the old one stays published for HUB_KEY_ROTATION_GRACE seconds' })
export class KeysRotateCommand extends CommandRunner {
  constructor(private readonly keys: KeysService, private readonly audit: AuditService) { super(); }
  async run(): Promise<void> {
    const kid = await this.keys.rotate();
    await this.audit.record({ action: 'cli.keys_rotated', actorType: 'cli', targetType: 'key', targetId: kid });
    out(JSON.stringify({ kid, published: this.keys.jwks().keys.map((k) => k.kid) }));
  }
}

@Command({ name: 'migrate', description: 'Apply pending database migrations and exit' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly ds: DataSource) { super(); }
  async run(): Promise<void> {
    const ran = await this.ds.runMigrations({ transaction: 'each' });
    out(JSON.stringify({ applied: ran.map((m) => m.name), pending: 0 }));
  }
}

export const CORE_COMMANDS = [UserCreateCommand, KeysRotateCommand, MigrateCommand];
