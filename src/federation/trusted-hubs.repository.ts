import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TrustedHub } from './entities/trusted-hub.entity.js';

/** Every query of `trusted_hubs`. */
@Injectable()
export class TrustedHubsRepository {
  constructor(private readonly ds: DataSource) {}

  private get m() {
    return this.ds.manager;
  }

  build(fields: Partial<TrustedHub>): TrustedHub {
    return this.m.create(TrustedHub, fields);
  }

  findById(id: string): Promise<TrustedHub | null> {
    return this.m.findOne(TrustedHub, { where: { id } });
  }

  findByHubId(hubId: string): Promise<TrustedHub | null> {
    return this.m.findOne(TrustedHub, { where: { hubId } });
  }

  /** Only what the per-request check needs (id and blocked), by the unique hub_id index. */
  findStatusByHubId(hubId: string): Promise<Pick<TrustedHub, 'id' | 'blocked'> | null> {
    return this.m.findOne(TrustedHub, { where: { hubId }, select: { id: true, blocked: true } });
  }

  existsHubId(hubId: string): Promise<boolean> {
    return this.m.exists(TrustedHub, { where: { hubId } });
  }

  /** Every peer, oldest first. */
  findAllOldestFirst(): Promise<TrustedHub[]> {
    return this.m
      .createQueryBuilder(TrustedHub, 't')
      .orderBy('t.created_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
  }

  async insert(row: TrustedHub): Promise<void> {
    await this.m.insert(TrustedHub, row);
  }

  async update(id: string, patch: Partial<TrustedHub>): Promise<void> {
    await this.m.update(TrustedHub, { id }, patch);
  }

  async delete(id: string): Promise<void> {
    await this.m.delete(TrustedHub, { id });
  }
}
