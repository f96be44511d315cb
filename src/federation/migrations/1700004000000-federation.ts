import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

export class Federation1700004000000 implements MigrationInterface {
  name = 'Federation1700004000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'trusted_hubs',
        columns: [
          col.id(),
          col.str('hub_id', 128),
          col.str('name', 200),
          col.str('url', 2048),
          col.text('jwks', false),
          col.bool('blocked'),
          col.ts('blocked_at', true),
          col.ts('created_at'),
          col.ts('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'trusted_hubs',
      new TableIndex({ name: 'uq_trusted_hubs_hub_id', columnNames: ['hub_id'], isUnique: true }),
    );
    await q.createTable(
      new Table({
        name: 'federation_used_jtis',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          col.str('hub_id', 128),
          col.ts('expires_at'),
          col.ts('created_at'),
        ],
      }),
    );
    await q.createIndex(
      'federation_used_jtis',
      new TableIndex({ name: 'ix_federation_used_jtis_exp', columnNames: ['expires_at'] }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('federation_used_jtis');
    await q.dropTable('trusted_hubs');
  }
}
