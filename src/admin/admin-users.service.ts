import { Injectable } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { HubError } from '../common/hub-error.js';
import { HubEvents } from '../common/hub-events.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersService } from '../users/users.service.js';
import { TokensService } from '../auth/tokens.service.js';
import { userView } from '../users/entities/user.entity.js';
import { AdminCreateUserDto, AdminPatchUserDto, ListUsersQuery } from './dto/admin-users.dto.js';
import type { AuthUser } from '../common/auth.decorators.js';

@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly events: HubEvents,
  ) {}

  async list(q: ListUsersQuery) {
    const page = q.page ?? 1;
    const per = q.per_page ?? 50;
    const qb = this.users.repository().createQueryBuilder('u');
    if (q.q) {
      const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      qb.where(new Brackets((b) => b.where('u.username_lower LIKE :like', { like }).orWhere('u.email LIKE :like', { like }).orWhere('LOWER(u.display_name) LIKE :like', { like })));
    }
    const [rows, total] = await qb.orderBy('u.created_at', 'ASC').addOrderBy('u.id', 'ASC').skip((page - 1) * per).take(per).getManyAndCount();
    return { items: rows.map(userView), page, per_page: per, total };
  }

  async create(actor: AuthUser, dto: AdminCreateUserDto, ip: string) {
    const u = await this.users.create({ username: dto.username, email: dto.email, password: dto.password, displayName: dto.display_name, isAdmin: !!dto.is_admin, region: dto.region ?? null });
    await this.audit.record({ action: 'admin.user_created', actorType: 'admin', actorId: actor.id, targetType: 'user', targetId: u.id, ip, details: { is_admin: u.isAdmin } });
    return userView(u);
  }

  async get(id: string) {
    return userView(await this.users.getById(id));
  }

  async patch(actor: AuthUser, id: string, dto: AdminPatchUserDto, ip: string) {
    const target = await this.users.getById(id);
    if (target.linkedHubId && dto.is_admin) throw new HubError('auth.forbidden', 'Linked accounts from another hub cannot be admins');
    const demoting = (dto.is_admin === false && target.isAdmin) || (dto.disabled === true && target.isAdmin && !target.disabled);
    if (id === actor.id && (dto.is_admin === false || dto.disabled === true)) {
      throw new HubError('user.cannot_modify_self', 'You cannot demote or disable your own account');
    }
    if (demoting && (await this.users.countAdmins()) <= 1) throw new HubError('user.last_admin', 'The last admin cannot be demoted or disabled');
    const patch: Parameters<UsersService['update']>[1] = {};
    if (dto.disabled !== undefined) patch.disabled = dto.disabled;
    if (dto.is_admin !== undefined) patch.isAdmin = dto.is_admin;
    if (dto.display_name !== undefined) patch.displayName = dto.display_name;
    if (dto.region !== undefined) patch.region = dto.region;
    let u = await this.users.update(id, patch);
    if (dto.password !== undefined) {
      await this.users.setPassword(id, dto.password);
      await this.tokens.revokeAllForUser(id);
      u = await this.users.getById(id);
    }
    if (dto.disabled === true && !target.disabled) {
      await this.tokens.revokeAllForUser(id);
      await this.events.emit('user.disabled', { userId: id });
    }
    await this.audit.record({
      action: 'admin.user_updated', actorType: 'admin', actorId: actor.id, targetType: 'user', targetId: id, ip,
      details: { disabled: dto.disabled, is_admin: dto.is_admin, password_reset: dto.password !== undefined, region: dto.region },
    });
    return userView(u);
  }

  async remove(actor: AuthUser, id: string, ip: string): Promise<void> {
    const target = await this.users.getById(id);
    if (id === actor.id) throw new HubError('user.cannot_modify_self', 'You cannot delete your own account');
    if (target.isAdmin && (await this.users.countAdmins()) <= 1) throw new HubError('user.last_admin', 'The last admin cannot be deleted');
    await this.events.emit('user.deleted', { userId: id });
    await this.tokens.revokeAllForUser(id);
    await this.users.repository().delete({ id });
    await this.audit.record({ action: 'admin.user_deleted', actorType: 'admin', actorId: actor.id, targetType: 'user', targetId: id, ip, details: { username: target.username } });
  }
}
