import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

export class Servers1700001000000 implements MigrationInterface {
  name = 'Servers1700001000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'servers',
        columns: [
          col.id(),
          col.uuid('owner_id', true),
          col.str('name', 255),
          col.str('version', 64),
          col.text('public_key_jwk', false),
          col.str('key_thumbprint', 64),
          col.text('hostname_candidates', false),
          col.text('capabilities', true),
          col.str('status', 16),
          col.ts('last_seen_at', true),
          col.ts('enrolled_at', true),
          col.str('enrollment_jti', 36, true),
          col.ts('enrollment_expires_at', true),
          col.str('subdomain', 63, true),
          col.str('library_hash', 64, true),
          col.int('library_count', undefined, true),
          col.ts('released_at', true),
          col.ts('created_at'),
          col.ts('updated_at'),
        ],
      }),
    );
    await q.createIndex('servers', new TableIndex({ name: 'ix_servers_owner', columnNames: ['owner_id'] }));
    await q.createIndex(
      'servers',
      new TableIndex({ name: 'uq_servers_thumbprint', columnNames: ['key_thumbprint'], isUnique: true }),
    );
    await q.createIndex(
      'servers',
      new TableIndex({ name: 'ix_servers_status_seen', columnNames: ['status', 'last_seen_at'] }),
    );
    await q.createTable(
      new Table({
        name: 'server_libraries',
        columns: [
          col.id(),
          col.uuid('server_id'),
          col.str('library_id', 191),
          col.str('library_name', 255),
          col.ts('created_at'),
          col.ts('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'server_libraries',
      new TableIndex({ name: 'uq_server_libraries', columnNames: ['server_id', 'library_id'], isUnique: true }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('server_libraries');
    await q.dropTable('servers');
  }
}
