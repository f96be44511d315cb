import { Injectable } from '@nestjs/common';
import { HubError } from '../common/hub-error.js';
import { HubEvents } from '../common/hub-events.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersService, type UserPatch } from './users.service.js';
import type { UsersRepository } from './users.repository.js';
import { PasswordService } from './password.service.js';
import { TokensService } from '../auth/tokens.service.js';
import { User, userView } from './entities/user.entity.js';
import { AdminCreateUserDto, AdminPatchUserDto, ListUsersQuery } from './dto/users-admin.dto.js';
import type { AuthUser } from '../common/auth.decorators.js';

@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly events: HubEvents,
  ) {}

  async list(q: ListUsersQuery) {
    const page = await this.users.search(q.q, q);
    return { ...page, items: page.items.map(userView) };
  }

  async create(actor: AuthUser, dto: AdminCreateUserDto, ip: string) {
    const u = await this.users.create({
      username: dto.username,
      email: dto.email,
      password: dto.password,
      displayName: dto.display_name,
      isAdmin: !!dto.is_admin,
      region: dto.region ?? null,
    });
    await this.audit.record({
      action: 'admin.user_created',
      actorType: 'admin',
      actorId: actor.id,
      targetType: 'user',
      targetId: u.id,
      ip,
      details: { is_admin: u.isAdmin },
    });
    return userView(u);
  }

  async get(id: string) {
    return userView(await this.users.getById(id));
  }

  async patch(actor: AuthUser, id: string, dto: AdminPatchUserDto, ip: string) {
    const target = await this.users.getById(id);
    if (target.linkedHubId && (dto.is_admin === true || dto.password !== undefined)) {
      throw new HubError(
        'auth.forbidden',
        'Linked accounts from another hub cannot be admins or have a local password',
      );
    }
    if (id === actor.id && (dto.is_admin === false || dto.disabled === true)) {
      throw new HubError('user.cannot_modify_self', 'You cannot demote or disable your own account');
    }
    const patch: UserPatch = {};
    if (dto.username !== undefined) patch.username = dto.username;
    if (dto.email !== undefined) patch.email = dto.email;
    if (dto.disabled !== undefined) patch.disabled = dto.disabled;
    if (dto.is_admin !== undefined) patch.isAdmin = dto.is_admin;
    if (dto.display_name !== undefined) patch.displayName = dto.display_name.trim() || target.username;
    if (dto.region !== undefined) patch.region = dto.region;
    if (dto.password !== undefined) patch.passwordHash = await this.passwords.hash(dto.password);
    const losesAdmin = isActiveAdmin(target) && (dto.is_admin === false || dto.disabled === true);
    const apply = (tx?: UsersRepository) => this.users.update(id, patch, tx);
    const u = losesAdmin ? await this.users.withAdminGuard(id, apply) : await apply();
    const newlyDisabled = dto.disabled === true && !target.disabled;
    if (dto.password !== undefined || newlyDisabled) await this.tokens.revokeAllForUser(id);
    if (newlyDisabled) await this.events.emit('user.disabled', { userId: id });
    await this.audit.record({
      action: 'admin.user_updated',
      actorType: 'admin',
      actorId: actor.id,
      targetType: 'user',
      targetId: id,
      ip,
      details: {
        fields: Object.keys(dto).filter((k) => k !== 'password'),
        password_reset: dto.password !== undefined,
        disabled: dto.disabled,
        is_admin: dto.is_admin,
      },
    });
    return userView(u);
  }

  async remove(actor: AuthUser, id: string, ip: string): Promise<void> {
    const target = await this.users.getById(id);
    if (id === actor.id) throw new HubError('user.cannot_modify_self', 'You cannot delete your own account');
    const guarded = isActiveAdmin(target);
    if (guarded && (await this.users.countAdmins()) <= 1) {
      throw new HubError('user.last_admin', 'The last administrator cannot be deleted');
    }
    // The account row goes first (under the last-admin guard); only a deletion that happened releases
    // the user's servers and ends their shares, so a refused request (409) changes nothing.
    const del = (tx?: UsersRepository) => this.users.delete(id, tx);
    const removed = guarded ? await this.users.withAdminGuard(id, del) : await del();
    if (!removed) throw new HubError('user.not_found', 'No such user');
    await this.events.emit('user.deleted', { userId: id });
    await this.tokens.deleteAllForUser(id);
    await this.audit.record({
      action: 'admin.user_deleted',
      actorType: 'admin',
      actorId: actor.id,
      targetType: 'user',
      targetId: id,
      ip,
      details: { username: target.username },
    });
  }
}

function isActiveAdmin(u: User): boolean {
  return !!u.isAdmin && !u.disabled && !u.linkedHubId;
}
