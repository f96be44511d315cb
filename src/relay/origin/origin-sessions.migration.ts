import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

/** Sessions of browsers on relayed servers' own origins (one-time entry token, then a host-only cookie; both hashed). */
export class RelayOriginSessions1796172400000 implements MigrationInterface {
  name = 'RelayOriginSessions1796172400000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'relay_origin_sessions',
        columns: [
          col.id(),
          col.uuid('user_id'),
          col.uuid('server_id'),
          col.str('entry_hash', 64),
          col.ts('entry_expires_at'),
          col.ts('entered_at', true),
          col.str('session_hash', 64, true),
          col.ts('expires_at'),
          col.ts('created_at'),
        ],
      }),
    );
    await q.createIndex(
      'relay_origin_sessions',
      new TableIndex({ name: 'ux_relay_origin_sessions_entry', columnNames: ['entry_hash'], isUnique: true }),
    );
    await q.createIndex(
      'relay_origin_sessions',
      new TableIndex({ name: 'ix_relay_origin_sessions_session', columnNames: ['session_hash'] }),
    );
    await q.createIndex(
      'relay_origin_sessions',
      new TableIndex({ name: 'ix_relay_origin_sessions_expires', columnNames: ['expires_at'] }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('relay_origin_sessions');
  }
}
