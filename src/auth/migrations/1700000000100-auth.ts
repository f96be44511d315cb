import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

export class Auth1700000000100 implements MigrationInterface {
  name = 'Auth1700000000100';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          col.id(),
          col.str('token_hash', 64),
          col.uuid('family_id'),
          col.uuid('user_id'),
          col.ts('expires_at'),
          col.ts('used_at', true),
          col.ts('revoked_at', true),
          col.ts('created_at'),
        ],
      }),
    );
    await q.createIndex(
      'refresh_tokens',
      new TableIndex({ name: 'uq_refresh_hash', columnNames: ['token_hash'], isUnique: true }),
    );
    await q.createIndex('refresh_tokens', new TableIndex({ name: 'ix_refresh_family', columnNames: ['family_id'] }));
    await q.createIndex('refresh_tokens', new TableIndex({ name: 'ix_refresh_user', columnNames: ['user_id'] }));
    // Rate-limit counters shared by every hub process (survive restarts).
    await q.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          { name: 'k', type: 'varchar', length: '191', isPrimary: true },
          col.int('count', 0),
          col.ts('reset_at'),
        ],
      }),
    );
    await q.createIndex('rate_limits', new TableIndex({ name: 'ix_rate_limits_reset', columnNames: ['reset_at'] }));
    // Small key/value state (first-admin guard, settings).
    await q.createTable(
      new Table({
        name: 'hub_meta',
        columns: [{ name: 'k', type: 'varchar', length: '191', isPrimary: true }, col.text('v'), col.ts('updated_at')],
      }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('hub_meta');
    await q.dropTable('rate_limits');
    await q.dropTable('refresh_tokens');
  }
}
