import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { DbDialect } from '../database/dialect.js';
import { fetchPage, type Page, type PageQuery } from '../common/paging.js';
import { LIKE_ESCAPE, likeContains } from '../common/sql-like.js';
import { HubMetaRepository } from '../common/hub-meta.repository.js';
import { User } from './entities/user.entity.js';

/** The identity columns of every account (what an import checks for clashes). */
export type UserIdentity = Pick<User, 'id' | 'usernameLower' | 'email' | 'linkedHubId' | 'remoteUserId'>;

/**
 * Every query of the `users` table. `transaction(fn)` hands `fn` this repository bound to one
 * transaction, so a caller composes steps atomically without seeing the ORM.
 */
@Injectable()
export class UsersRepository {
  private manager: EntityManager;

  constructor(
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
    private readonly hubMeta: HubMetaRepository,
  ) {
    this.manager = ds.manager;
  }

  /** Run `fn` in one transaction; the repository it receives works inside it. */
  transaction<T>(fn: (tx: UsersRepository) => Promise<T>): Promise<T> {
    return this.manager.transaction((m) => fn(this.bound(m)));
  }

  private bound(m: EntityManager): UsersRepository {
    const r = Object.create(this) as UsersRepository;
    r.manager = m;
    return r;
  }

  build(fields: Partial<User>): User {
    return this.manager.create(User, fields);
  }

  findById(id: string): Promise<User | null> {
    return this.manager.findOne(User, { where: { id } });
  }

  findByIds(ids: string[]): Promise<User[]> {
    return ids.length ? this.manager.find(User, { where: { id: In(ids) } }) : Promise.resolve([]);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.manager.findOne(User, { where: { email } });
  }

  findByUsernameLower(usernameLower: string): Promise<User | null> {
    return this.manager.findOne(User, { where: { usernameLower } });
  }

  findLinked(linkedHubId: string, remoteUserId: string): Promise<User | null> {
    return this.manager.findOne(User, { where: { linkedHubId, remoteUserId } });
  }

  async idsLinkedTo(linkedHubId: string): Promise<string[]> {
    return (await this.manager.find(User, { where: { linkedHubId }, select: { id: true } })).map((u) => u.id);
  }

  countLinkedTo(linkedHubId: string): Promise<number> {
    return this.manager.count(User, { where: { linkedHubId } });
  }

  /** linked hub id → number of its shadow accounts */
  async countLinkedByHub(): Promise<Map<string, number>> {
    const rows: { hub: string; n: string | number }[] = await this.manager
      .createQueryBuilder(User, 'u')
      .select('u.linked_hub_id', 'hub')
      .addSelect('COUNT(*)', 'n')
      .where('u.linked_hub_id IS NOT NULL')
      .groupBy('u.linked_hub_id')
      .getRawMany();
    return new Map(rows.map((r) => [r.hub, Number(r.n)]));
  }

  count(): Promise<number> {
    return this.manager.count(User);
  }

  /** Every account, the admins among them and the disabled ones, in one pass. */
  async accountCounts(): Promise<{ total: number; admins: number; disabled: number }> {
    const r: Record<string, string | number | null>[] = await this.manager.query(
      'SELECT COUNT(*) AS total, SUM(CASE WHEN is_admin = 1 THEN 1 ELSE 0 END) AS admins, SUM(CASE WHEN disabled = 1 THEN 1 ELSE 0 END) AS disabled FROM users',
    );
    const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
    return { total: num(r[0]?.total), admins: num(r[0]?.admins), disabled: num(r[0]?.disabled) };
  }

  /** Every account, oldest first. */
  findAllOldestFirst(): Promise<User[]> {
    return this.manager
      .createQueryBuilder(User, 'u')
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .getMany();
  }

  findAllIdentities(): Promise<UserIdentity[]> {
    return this.manager.find(User, {
      select: { id: true, usernameLower: true, email: true, linkedHubId: true, remoteUserId: true },
    });
  }

  /** One page of accounts, oldest first, optionally matching `q` in username, email or display name. */
  search(q: string | undefined, page: PageQuery): Promise<Page<User>> {
    const qb = this.manager.createQueryBuilder(User, 'u');
    if (q) {
      const like = likeContains(q);
      qb.where(
        new Brackets((b) =>
          b
            .where(`u.username_lower LIKE :like ${LIKE_ESCAPE}`, { like })
            .orWhere(`u.email LIKE :like ${LIKE_ESCAPE}`, { like })
            .orWhere(`LOWER(u.display_name) LIKE :like ${LIKE_ESCAPE}`, { like }),
        ),
      );
    }
    return fetchPage(qb.orderBy('u.created_at', 'ASC').addOrderBy('u.id', 'ASC'), page, (rows) => rows);
  }

  async usernameTaken(usernameLower: string, exceptId?: string): Promise<boolean> {
    return this.manager.exists(User, { where: { usernameLower, ...(exceptId ? { id: Not(exceptId) } : {}) } });
  }

  async emailTaken(email: string, exceptId?: string): Promise<boolean> {
    return this.manager.exists(User, { where: { email, ...(exceptId ? { id: Not(exceptId) } : {}) } });
  }

  async insert(users: User | User[]): Promise<void> {
    await this.manager.insert(User, users);
  }

  async update(id: string, set: Partial<User>): Promise<void> {
    await this.manager.update(User, { id }, set);
  }

  /** Rows removed (0 or 1). */
  async deleteById(id: string): Promise<number> {
    return (await this.manager.delete(User, { id })).affected ?? 0;
  }

  hasLocalAdmin(): Promise<boolean> {
    return this.manager.exists(User, { where: { isAdmin: true, linkedHubId: IsNull() } });
  }

  /** Active local administrators. */
  countActiveAdmins(): Promise<number> {
    return this.manager.count(User, { where: { isAdmin: true, disabled: false, linkedHubId: IsNull() } });
  }

  /** Ids of the active local admins, locked (MySQL) until the surrounding transaction ends. */
  async lockActiveAdminIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.manager.query(
      `SELECT id FROM users WHERE is_admin = ? AND disabled = ? AND linked_hub_id IS NULL ${this.dialect.forUpdate}`,
      [true, false],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Make `id` the first administrator: one insert of the `first_admin` row (unique key) and the
   * promotion, in one transaction. Throws a unique violation when another account won the election.
   */
  async promoteFirstAdmin(id: string, now: number): Promise<void> {
    await this.manager.transaction(async (m) => {
      await this.hubMeta.insertKey('first_admin', id, now, m);
      await m.update(User, { id }, { isAdmin: true });
    });
  }
}
