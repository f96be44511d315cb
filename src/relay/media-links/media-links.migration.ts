import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

/** Media links for native players (SHA-256 of the secret; scoped to user, server and path prefix). */
export class RelayMediaLinks1796171657704 implements MigrationInterface {
  name = 'RelayMediaLinks1796171657704';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'relay_media_links',
        columns: [
          col.id(),
          col.str('token_hash', 64),
          col.uuid('user_id'),
          col.uuid('server_id'),
          col.str('path_prefix', 2048),
          col.ts('created_at'),
          col.ts('expires_at'),
          col.ts('revoked_at', true),
        ],
      }),
    );
    await q.createIndex(
      'relay_media_links',
      new TableIndex({ name: 'ux_relay_media_links_hash', columnNames: ['token_hash'], isUnique: true }),
    );
    await q.createIndex(
      'relay_media_links',
      new TableIndex({ name: 'ix_relay_media_links_user', columnNames: ['user_id'] }),
    );
    await q.createIndex(
      'relay_media_links',
      new TableIndex({ name: 'ix_relay_media_links_revoked', columnNames: ['revoked_at'] }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('relay_media_links');
  }
}
