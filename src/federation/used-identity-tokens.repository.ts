import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { UsedIdentityToken } from './entities/used-identity-token.entity.js';

/** Every query of `used_identity_tokens` (the replay guard of identity tokens). */
@Injectable()
export class UsedIdentityTokensRepository {
  constructor(private readonly ds: DataSource) {}

  async deleteExpired(before: number): Promise<void> {
    await this.ds.manager.delete(UsedIdentityToken, { expiresAt: LessThan(before) });
  }

  /** Throws a unique violation when the id was already recorded. */
  async insert(row: UsedIdentityToken): Promise<void> {
    await this.ds.manager.insert(UsedIdentityToken, row);
  }
}
