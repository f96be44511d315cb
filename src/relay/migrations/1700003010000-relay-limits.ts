import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

const pk = (name: string, length: number) => ({ name, type: 'varchar', length: String(length), isPrimary: true });

/** Relay limits: durable per-user settings, monthly usage, open-stream leases and the admission lock row. */
export class RelayLimits1700003010000 implements MigrationInterface {
  name = 'RelayLimits1700003010000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'relay_user_limits',
        columns: [
          col.id('user_id'),
          { name: 'quota_bytes_in', type: 'bigint', isNullable: true },
          { name: 'quota_bytes_out', type: 'bigint', isNullable: true },
          col.int('max_streams', undefined, true),
          { name: 'throttle_bps', type: 'bigint', isNullable: true },
          col.ts('updated_at'),
          col.uuid('updated_by', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'relay_usage',
        columns: [
          pk('period', 7),
          pk('user_id', 36),
          pk('server_id', 36),
          col.big('bytes_in'),
          col.big('bytes_out'),
          col.ts('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'relay_usage',
      new TableIndex({ name: 'ix_relay_usage_period_server', columnNames: ['period', 'server_id'] }),
    );
    await q.createTable(
      new Table({
        name: 'relay_stream_leases',
        columns: [
          col.id(),
          col.uuid('user_id'),
          col.uuid('server_id'),
          col.str('kind', 16),
          col.str('node', 160),
          col.ts('started_at'),
          col.ts('seen_at'),
        ],
      }),
    );
    await q.createIndex(
      'relay_stream_leases',
      new TableIndex({ name: 'ix_relay_stream_leases_user', columnNames: ['user_id', 'seen_at'] }),
    );
    await q.createIndex(
      'relay_stream_leases',
      new TableIndex({ name: 'ix_relay_stream_leases_seen', columnNames: ['seen_at'] }),
    );
    await q.createIndex(
      'relay_stream_leases',
      new TableIndex({ name: 'ix_relay_stream_leases_node', columnNames: ['node'] }),
    );
    // one row that admissions lock (SELECT … FOR UPDATE on MySQL) so stream caps have exactly one winner
    await q.createTable(new Table({ name: 'relay_locks', columns: [pk('name', 64)] }));
    await q.query(`INSERT INTO relay_locks (name) VALUES ('admission')`);
  }
  async down(q: QueryRunner): Promise<void> {
    for (const t of ['relay_locks', 'relay_stream_leases', 'relay_usage', 'relay_user_limits']) await q.dropTable(t);
  }
}
