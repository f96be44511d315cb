import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LibraryShare } from './entities/library-share.entity.js';

/** Shares whose expiry fell in a time window (index ix_library_shares_expires). */
@Injectable()
export class ExpiredSharesRepository {
  constructor(@InjectRepository(LibraryShare) private readonly shares: Repository<LibraryShare>) {}

  /** (server, grantee) pairs of unrevoked shares that expired in (after, upTo]. */
  async expiredBetween(after: number, upTo: number): Promise<{ serverId: string; granteeId: string }[]> {
    const rows: { server_id: string; grantee_id: string }[] = await this.shares.createQueryBuilder('sh')
      .select('sh.server_id', 'server_id').addSelect('sh.grantee_id', 'grantee_id').distinct(true)
      .where('sh.expires_at > :after AND sh.expires_at <= :upTo AND sh.revoked_at IS NULL', { after, upTo })
      .limit(10_000)
      .getRawMany();
    return rows.map((r) => ({ serverId: r.server_id, granteeId: r.grantee_id }));
  }
}
