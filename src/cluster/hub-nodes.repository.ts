import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HubNode } from './entities/hub-node.entity.js';

/** SQL of hub_nodes. */
@Injectable()
export class HubNodesRepository {
  constructor(@InjectRepository(HubNode) private readonly repo: Repository<HubNode>) {}

  /** Insert or refresh this replica's row. */
  async beat(row: Omit<HubNode, 'seenAt'>, now: number): Promise<void> {
    const { id, ...rest } = row;
    const r = await this.repo.update({ id }, { ...rest, seenAt: now });
    if (!r.affected) await this.repo.upsert({ ...row, seenAt: now }, ['id']);
  }

  async setState(id: string, state: string, now: number): Promise<void> {
    await this.repo.update({ id }, { state, seenAt: now });
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
