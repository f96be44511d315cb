import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/**
 * One hub replica of a cluster (cluster mode only): its internal address and when it last said it
 * is alive. A replica that missed three beats counts as dead; its tunnels are looked for elsewhere.
 */
@Entity('hub_nodes')
export class HubNode {
  @PrimaryColumn('varchar', { length: 128 }) id: string;
  @Column('varchar', { length: 2048 }) url: string;
  /** 'up' | 'draining' | 'stopped' */
  @Column('varchar', { length: 16 }) state: string;
  @Column('bigint', { name: 'started_at', transformer: bigintNumber }) startedAt: number;
  @Column('bigint', { name: 'seen_at', transformer: bigintNumber }) seenAt: number;
}
