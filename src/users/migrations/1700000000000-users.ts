import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

export class Users1700000000000 implements MigrationInterface {
  name = 'Users1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          col.id(),
          col.str('username', 50),
          col.str('username_lower', 50),
          col.str('email', 254, true),
          col.str('password_hash', 255, true),
          col.str('display_name', 100),
          col.bool('is_admin'),
          col.bool('disabled'),
          col.str('region', 32, true),
          col.str('linked_hub_id', 128, true),
          col.str('remote_user_id', 191, true),
          col.ts('created_at'),
          col.ts('updated_at'),
        ],
      }),
    );
    await q.createIndex(
      'users',
      new TableIndex({ name: 'uq_users_username_lower', columnNames: ['username_lower'], isUnique: true }),
    );
    await q.createIndex('users', new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true }));
    await q.createIndex(
      'users',
      new TableIndex({ name: 'uq_users_linked', columnNames: ['linked_hub_id', 'remote_user_id'], isUnique: true }),
    );
    await q.createIndex('users', new TableIndex({ name: 'ix_users_created', columnNames: ['created_at'] }));
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('users');
  }
}
