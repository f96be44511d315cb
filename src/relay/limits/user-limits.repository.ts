import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DbDialect } from '../../database/dialect.js';
import { RelayUserLimits } from '../entities/relay-user-limits.entity.js';

/** SQL of relay_user_limits (one row per user, never per period). */
@Injectable()
export class RelayUserLimitsRepository {
  constructor(
    @InjectRepository(RelayUserLimits) private readonly repo: Repository<RelayUserLimits>,
    private readonly dialect: DbDialect,
  ) {}

  find(userId: string): Promise<RelayUserLimits | null> {
    return this.repo.findOne({ where: { userId } });
  }

  findMany(userIds: string[]): Promise<RelayUserLimits[]> {
    return userIds.length ? this.repo.find({ where: { userId: In(userIds) } }) : Promise.resolve([]);
  }

  async upsert(row: RelayUserLimits): Promise<void> {
    const cols = [
      'user_id',
      'quota_bytes_in',
      'quota_bytes_out',
      'max_streams',
      'throttle_bps',
      'updated_at',
      'updated_by',
    ];
    const assign = cols
      .slice(1)
      .map((c) => `${c} = ${this.dialect.excluded(c)}`)
      .join(', ');
    await this.repo.query(
      `INSERT INTO relay_user_limits (${cols.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?) ${this.dialect.upsertSuffix(['user_id'], assign)}`,
      [row.userId, row.quotaBytesIn, row.quotaBytesOut, row.maxStreams, row.throttleBps, row.updatedAt, row.updatedBy],
    );
  }

  async remove(userId: string): Promise<void> {
    await this.repo.delete({ userId });
  }
}
