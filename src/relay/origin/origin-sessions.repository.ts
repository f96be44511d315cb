import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { OriginSession } from './origin-session.entity.js';

/** SQL of relay_origin_sessions (entry tokens and the sessions they turn into). */
@Injectable()
export class OriginSessionsRepository {
  constructor(@InjectRepository(OriginSession) private readonly repo: Repository<OriginSession>) {}

  async insert(row: OriginSession): Promise<void> {
    await this.repo.insert(row);
  }

  findByEntryHash(entryHash: string): Promise<OriginSession | null> {
    return this.repo.findOne({ where: { entryHash } });
  }

  findBySessionHash(sessionHash: string): Promise<OriginSession | null> {
    return this.repo.findOne({ where: { sessionHash } });
  }

  /** Turn a not yet used entry into a session; false when it was used meanwhile. */
  async enter(id: string, sessionHash: string, now: number, expiresAt: number): Promise<boolean> {
    const won = await this.repo
      .createQueryBuilder()
      .update(OriginSession)
      .set({ enteredAt: now, sessionHash, expiresAt })
      .where('id = :id AND entered_at IS NULL', { id })
      .execute();
    return !!won.affected;
  }

  async deleteExpired(now: number): Promise<void> {
    await this.repo.delete({ expiresAt: LessThan(now) });
  }
}
