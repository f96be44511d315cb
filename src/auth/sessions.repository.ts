import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan, Not } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity.js';

/** Every query of `refresh_tokens` (sessions are refresh-token families). */
@Injectable()
export class SessionsRepository {
  constructor(private readonly ds: DataSource) {}

  private get m() {
    return this.ds.manager;
  }

  async insert(row: RefreshToken): Promise<void> {
    await this.m.insert(RefreshToken, row);
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.m.findOne(RefreshToken, { where: { tokenHash } });
  }

  findById(id: string): Promise<RefreshToken | null> {
    return this.m.findOne(RefreshToken, { where: { id } });
  }

  /** Mark a live, unused token used (sealing its successor): true only for the one caller that won. */
  async markUsed(id: string, usedAt: number, successorBox: string): Promise<boolean> {
    const won = await this.m
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt, successorBox })
      .where('id = :id AND used_at IS NULL AND revoked_at IS NULL', { id })
      .execute();
    return !!won.affected;
  }

  async deleteById(id: string): Promise<void> {
    await this.m.delete(RefreshToken, { id });
  }

  familyHasRevoked(familyId: string): Promise<boolean> {
    return this.m.exists(RefreshToken, { where: { familyId, revokedAt: Not(IsNull()) } });
  }

  familyBelongsTo(familyId: string, userId: string): Promise<boolean> {
    return this.m.exists(RefreshToken, { where: { familyId, userId } });
  }

  async revokeFamily(familyId: string, at: number): Promise<void> {
    await this.m.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Families of the user's unrevoked tokens. */
  async liveFamilyIds(userId: string): Promise<Set<string>> {
    const live = await this.m.find(RefreshToken, {
      select: { familyId: true },
      where: { userId, revokedAt: IsNull() },
    });
    return new Set(live.map((r) => r.familyId));
  }

  /** Families of the user's unrevoked tokens other than `keepFamily` (null: all of them). */
  async liveFamilyIdsExcept(userId: string, keepFamily: string | null): Promise<Set<string>> {
    const where = keepFamily
      ? { userId, revokedAt: IsNull(), familyId: Not(keepFamily) }
      : { userId, revokedAt: IsNull() };
    const live = await this.m.find(RefreshToken, { select: { familyId: true }, where });
    return new Set(live.map((r) => r.familyId));
  }

  /** Revoke every live token of the user outside `keepFamily` (null: all of them). */
  async revokeAllOfUserExcept(userId: string, keepFamily: string | null, at: number): Promise<void> {
    const where = keepFamily
      ? { userId, revokedAt: IsNull(), familyId: Not(keepFamily) }
      : { userId, revokedAt: IsNull() };
    await this.m.update(RefreshToken, where, { revokedAt: at });
  }

  async revokeAllOfUser(userId: string, at: number): Promise<void> {
    await this.m.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: at });
  }

  async deleteAllOfUser(userId: string): Promise<void> {
    await this.m.delete(RefreshToken, { userId });
  }

  /** Bounded: at most `limit` tokens that expired before `before`. */
  async deleteExpired(before: number, limit: number): Promise<void> {
    const old = await this.m.find(RefreshToken, {
      select: { id: true },
      where: { expiresAt: LessThan(before) },
      take: limit,
    });
    if (old.length) {
      await this.m.delete(
        RefreshToken,
        old.map((r) => r.id),
      );
    }
  }

  /** Families revoked at or after `since`, with their latest revocation time. */
  async revokedFamiliesSince(since: number): Promise<{ familyId: string; at: number }[]> {
    const rows: { family_id: string; at: number | string }[] = await this.ds.query(
      'SELECT family_id, MAX(revoked_at) AS at FROM refresh_tokens WHERE revoked_at >= ? GROUP BY family_id',
      [since],
    );
    return rows.map((r) => ({ familyId: r.family_id, at: Number(r.at) }));
  }
}
