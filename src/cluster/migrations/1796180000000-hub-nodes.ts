import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col } from '../../database/columns.js';

/** The replicas of a cluster and their heartbeats (empty on a single hub). */
export class HubNodes1796180000000 implements MigrationInterface {
  name = 'HubNodes1796180000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'hub_nodes',
        columns: [
          { ...col.str('id', 128), isPrimary: true },
          col.str('url', 2048),
          col.str('state', 16),
          col.ts('started_at'),
          col.ts('seen_at'),
        ],
      }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('hub_nodes');
  }
}
