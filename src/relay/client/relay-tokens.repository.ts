import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { DbDialect } from '../../database/dialect.js';
import { RelayClientToken } from '../entities/relay-client-token.entity.js';

/** SQL of relay_client_tokens (secrets stored as SHA-256). */
@Injectable()
export class RelayTokensRepository {
  constructor(
    @InjectRepository(RelayClientToken) private readonly repo: Repository<RelayClientToken>,
    private readonly dialect: DbDialect,
  ) {}

  async insert(row: RelayClientToken): Promise<void> {
    await this.repo.insert(row);
  }

  /** Tokens of a user that still work (optionally of one server), newest first, at most 200. */
  live(userId: string, now: number, serverId?: string): Promise<RelayClientToken[]> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.user_id = :userId AND t.revoked_at IS NULL AND t.expires_at > :now', { userId, now })
      .andWhere(serverId ? 't.server_id = :serverId' : '1 = 1', { serverId })
      .orderBy('t.created_at', 'DESC')
      .limit(200)
      .getMany();
  }

  /** Revoke one token of the user; whether one was revoked. */
  async revokeOwn(userId: string, id: string, now: number): Promise<boolean> {
    const r = await this.repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: now })
      .where('id = :id AND user_id = :userId AND revoked_at IS NULL', { id, userId })
      .execute();
    return !!r.affected;
  }

  /** Revoke every unrevoked token the user holds for a server; their ids. */
  async revokeForServer(userId: string, serverId: string, now: number): Promise<string[]> {
    const live = await this.repo.find({ where: { userId, serverId, revokedAt: IsNull() }, select: { id: true } });
    if (!live.length) return [];
    const ids = live.map((t) => t.id);
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: now })
      .where('id IN (:...ids) AND revoked_at IS NULL', { ids })
      .execute();
    return ids;
  }

  byHash(tokenHash: string): Promise<RelayClientToken | null> {
    return this.repo.findOne({ where: { tokenHash } });
  }

  async used(id: string, now: number): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: now });
  }

  /** Delete up to 1000 tokens expired before `before` or revoked. */
  async prune(before: number): Promise<void> {
    const cond = 'expires_at < ? OR revoked_at IS NOT NULL';
    if (this.dialect.isMysql) {
      await this.repo.query(`DELETE FROM relay_client_tokens WHERE ${cond} LIMIT 1000`, [before]);
    } else {
      await this.repo.query(
        `DELETE FROM relay_client_tokens WHERE id IN (SELECT id FROM relay_client_tokens WHERE ${cond} LIMIT 1000)`,
        [before],
      );
    }
  }
}
