import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { ClaimToken } from './entities/claim-token.entity.js';

/** Headless claim tokens (`claim_tokens`). */
@Injectable()
export class ClaimTokensRepository {
  constructor(@InjectRepository(ClaimToken) private readonly tokens: Repository<ClaimToken>) {}

  countActive(userId: string, now: number): Promise<number> {
    return this.tokens.count({ where: { userId, usedAt: IsNull(), expiresAt: MoreThan(now) } });
  }

  /** Retire the user's oldest still-active token (it expires now). */
  async retireOldestActive(userId: string, now: number): Promise<void> {
    const oldest = await this.tokens.findOne({
      where: { userId, usedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'ASC' },
    });
    if (oldest) await this.tokens.update({ id: oldest.id }, { expiresAt: now });
  }

  async insert(t: ClaimToken): Promise<void> {
    await this.tokens.insert(t);
  }

  findByHash(tokenHash: string): Promise<ClaimToken | null> {
    return this.tokens.findOne({ where: { tokenHash } });
  }

  /** Use a token once: one conditional UPDATE, so exactly one concurrent caller gets true. */
  async use(id: string, now: number): Promise<boolean> {
    const res = await this.tokens
      .createQueryBuilder()
      .update(ClaimToken)
      .set({ usedAt: now })
      .where('id = :id AND used_at IS NULL AND expires_at > :now', { id, now })
      .execute();
    return !!res.affected;
  }

  async setServer(id: string, serverId: string): Promise<void> {
    await this.tokens.update({ id }, { serverId });
  }

  async deleteExpiredBefore(t: number): Promise<void> {
    await this.tokens.createQueryBuilder().delete().from(ClaimToken).where('expires_at < :t', { t }).execute();
  }
}
