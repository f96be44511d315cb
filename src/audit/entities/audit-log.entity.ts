import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

@Entity('audit_logs')
export class AuditLog {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('bigint', { transformer: bigintNumber }) at: number;
  @Column('varchar', { length: 64 }) action: string;
  @Column('varchar', { name: 'actor_type', length: 16 }) actorType: string;
  @Column('varchar', { name: 'actor_id', length: 64, nullable: true }) actorId: string | null;
  @Column('varchar', { name: 'target_type', length: 32, nullable: true }) targetType: string | null;
  @Column('varchar', { name: 'target_id', length: 191, nullable: true }) targetId: string | null;
  @Column('varchar', { length: 64, nullable: true }) ip: string | null;
  @Column('varchar', { length: 16 }) outcome: string;
  /** JSON; never secrets */
  @Column('text', { nullable: true }) details: string | null;
}
