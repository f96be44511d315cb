import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

export class Sharing1700002000000 implements MigrationInterface {
  name = 'Sharing1700002000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'library_shares',
        columns: [
          col.id(),
          col.uuid('owner_id'),
          col.uuid('grantee_id'),
          col.uuid('server_id'),
          col.str('library_id', 191, true),
          col.str('library_name', 255, true),
          col.str('permission', 16),
          col.str('source', 16),
          col.uuid('invite_id', true),
          col.str('active_key', 64, true),
          col.ts('expires_at', true),
          col.ts('revoked_at', true),
          col.str('revoke_reason', 32, true),
          col.ts('created_at'),
          col.ts('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'library_shares',
      new TableIndex({ name: 'uq_library_shares_active', columnNames: ['active_key'], isUnique: true }),
    );
    await q.createIndex(
      'library_shares',
      new TableIndex({ name: 'ix_library_shares_grantee', columnNames: ['grantee_id', 'server_id'] }),
    );
    await q.createIndex(
      'library_shares',
      new TableIndex({ name: 'ix_library_shares_owner', columnNames: ['owner_id'] }),
    );
    await q.createIndex(
      'library_shares',
      new TableIndex({ name: 'ix_library_shares_server', columnNames: ['server_id'] }),
    );
    await q.createTable(
      new Table({
        name: 'invite_links',
        columns: [
          col.id(),
          col.uuid('owner_id'),
          col.uuid('server_id'),
          col.str('library_id', 191, true),
          col.str('library_name', 255, true),
          col.str('permission', 16),
          col.str('token_hash', 64),
          col.int('max_uses'),
          col.int('use_count', 0),
          col.ts('expires_at', true),
          col.ts('revoked_at', true),
          col.ts('created_at'),
          col.ts('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'invite_links',
      new TableIndex({ name: 'uq_invite_links_token', columnNames: ['token_hash'], isUnique: true }),
    );
    await q.createIndex('invite_links', new TableIndex({ name: 'ix_invite_links_owner', columnNames: ['owner_id'] }));
    await q.createIndex('invite_links', new TableIndex({ name: 'ix_invite_links_server', columnNames: ['server_id'] }));
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('invite_links');
    await q.dropTable('library_shares');
  }
}
