import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ServerClaim } from './entities/server-claim.entity.js';
import { ServerKeyProof } from './entities/server-key-proof.entity.js';

/** Pending pairings (`server_claims`) and the keys that have proven possession (`server_key_proofs`). */
@Injectable()
export class ClaimsRepository {
  constructor(
    @InjectRepository(ServerClaim) private readonly claims: Repository<ServerClaim>,
    @InjectRepository(ServerKeyProof) private readonly proofs: Repository<ServerKeyProof>,
  ) {}

  async insert(row: ServerClaim): Promise<void> {
    await this.claims.insert(row);
  }

  findById(id: string): Promise<ServerClaim | null> {
    return this.claims.findOne({ where: { id } });
  }

  findByCodeHash(codeHash: string): Promise<ServerClaim | null> {
    return this.claims.findOne({ where: { codeHash } });
  }

  findByPollHash(pollHash: string): Promise<ServerClaim | null> {
    return this.claims.findOne({ where: { pollHash } });
  }

  nonceUsed(nonce: string): Promise<boolean> {
    return this.claims.exists({ where: { proofNonce: nonce } });
  }

  /** First claim wins: one conditional UPDATE, so exactly one concurrent caller gets true. */
  async take(id: string, userId: string, now: number): Promise<boolean> {
    const res = await this.claims
      .createQueryBuilder()
      .update(ServerClaim)
      .set({ status: 'claimed', claimedBy: userId, claimedAt: now })
      .where('id = :id AND status = :p AND expires_at > :now', { id, p: 'pending', now })
      .execute();
    return !!res.affected;
  }

  /** A claim whose binding failed becomes pending again. */
  async reopen(id: string): Promise<void> {
    await this.claims.update({ id }, { status: 'pending', claimedBy: null, claimedAt: null });
  }

  async setServer(id: string, serverId: string): Promise<void> {
    await this.claims.update({ id }, { serverId });
  }

  /** The enrollment goes out once: exactly one concurrent poll gets true. */
  async markDelivered(id: string, now: number): Promise<boolean> {
    const won = await this.claims
      .createQueryBuilder()
      .update(ServerClaim)
      .set({ deliveredAt: now })
      .where('id = :id AND delivered_at IS NULL', { id })
      .execute();
    return !!won.affected;
  }

  async deleteUndeliveredOf(serverId: string): Promise<void> {
    await this.claims
      .createQueryBuilder()
      .delete()
      .from(ServerClaim)
      .where('server_id = :id AND delivered_at IS NULL', { id: serverId })
      .execute();
  }

  async deleteExpiredBefore(t: number): Promise<void> {
    await this.claims.createQueryBuilder().delete().from(ServerClaim).where('expires_at < :t', { t }).execute();
  }

  async isProven(thumbprint: string): Promise<boolean> {
    return (await this.proofs.count({ where: { keyThumbprint: thumbprint } })) > 0;
  }

  /** Record a key's first proof (a duplicate key throws the unique violation). */
  async insertProof(thumbprint: string, now: number): Promise<void> {
    await this.proofs.insert({ keyThumbprint: thumbprint, firstProvenAt: now });
  }
}
