import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

export class RelaySessions1700003000000 implements MigrationInterface {
  name = 'RelaySessions1700003000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'relay_sessions',
        columns: [
          col.id(),
          col.uuid('server_id'),
          col.uuid('tunnel_id'),
          col.str('worker_node', 128),
          col.str('remote_ip', 64, true),
          col.str('flow_control', 16),
          col.ts('opened_at'),
          col.ts('closed_at', true),
          col.ts('last_frame_at', true),
          col.big('bytes_in'),
          col.big('bytes_out'),
          col.str('close_reason', 64, true),
        ],
      }),
    );
    await q.createIndex(
      'relay_sessions',
      new TableIndex({ name: 'ix_relay_sessions_server_opened', columnNames: ['server_id', 'opened_at'] }),
    );
    await q.createIndex(
      'relay_sessions',
      new TableIndex({ name: 'ix_relay_sessions_server_closed', columnNames: ['server_id', 'closed_at'] }),
    );
    await q.createIndex(
      'relay_sessions',
      new TableIndex({ name: 'ix_relay_sessions_node_closed', columnNames: ['worker_node', 'closed_at'] }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('relay_sessions');
  }
}
