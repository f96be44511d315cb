import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { HubNode } from './entities/hub-node.entity.js';

/** SQL of hub_nodes. */
@Injectable()
export class HubNodesRepository {
  constructor(@InjectRepository(HubNode) private readonly repo: Repository<HubNode>) {}

  /** Insert or refresh this replica's row. */
  async beat(id: string, url: string, state: string, now: number, startedAt: number): Promise<void> {
    const r = await this.repo.update({ id }, { url, state, seenAt: now, startedAt });
    if (!r.affected) await this.repo.upsert({ id, url, state, startedAt, seenAt: now }, ['id']);
  }

  async setState(id: string, state: string, now: number): Promise<void> {
    await this.repo.update({ id }, { state, seenAt: now });
  }

  /** Replicas seen after `since` that are not stopped. */
  async liveSince(since: number): Promise<HubNode[]> {
    const rows = await this.repo.find({ where: { seenAt: MoreThan(since) }, order: { id: 'ASC' } });
    return rows.filter((r) => r.state !== 'stopped');
  }

  async all(): Promise<HubNode[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }

  /** Forget replicas not seen since `before` (they left long ago). */
  async sweep(before: number): Promise<number> {
    const r = await this.repo.createQueryBuilder().delete().where('seen_at < :before', { before }).execute();
    return r.affected ?? 0;
  }
}
