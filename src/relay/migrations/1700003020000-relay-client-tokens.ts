import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

/** Client relay tokens for raw client channels (SHA-256 of the secret; scoped to user and server). */
export class RelayClientTokens1700003020000 implements MigrationInterface {
  name = 'RelayClientTokens1700003020000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'relay_client_tokens',
        columns: [
          col.id(),
          col.str('token_hash', 64),
          col.uuid('user_id'),
          col.uuid('server_id'),
          col.ts('created_at'),
          col.ts('expires_at'),
          col.ts('revoked_at', true),
          col.ts('last_used_at', true),
        ],
      }),
    );
    await q.createIndex(
      'relay_client_tokens',
      new TableIndex({ name: 'ux_relay_client_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
    );
    await q.createIndex(
      'relay_client_tokens',
      new TableIndex({ name: 'ix_relay_client_tokens_user_server', columnNames: ['user_id', 'server_id'] }),
    );
    await q.createIndex(
      'relay_client_tokens',
      new TableIndex({ name: 'ix_relay_client_tokens_expires', columnNames: ['expires_at'] }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('relay_client_tokens');
  }
}
