import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

export class Audit1700000500000 implements MigrationInterface {
  name = 'Audit1700000500000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_logs',
        columns: [
          col.id(),
          col.ts('at'),
          col.str('action', 64),
          col.str('actor_type', 16),
          col.str('actor_id', 64, true),
          col.str('target_type', 32, true),
          col.str('target_id', 191, true),
          col.str('ip', 64, true),
          col.str('outcome', 16),
          col.text('details'),
        ],
      }),
    );
    await q.createIndex('audit_logs', new TableIndex({ name: 'ix_audit_at', columnNames: ['at'] }));
    await q.createIndex('audit_logs', new TableIndex({ name: 'ix_audit_action_at', columnNames: ['action', 'at'] }));
    await q.createIndex('audit_logs', new TableIndex({ name: 'ix_audit_actor_at', columnNames: ['actor_id', 'at'] }));
    await q.createIndex('audit_logs', new TableIndex({ name: 'ix_audit_target_at', columnNames: ['target_id', 'at'] }));
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_logs');
  }
}
