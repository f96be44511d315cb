import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

/**
 * Refresh-token rotation grace and session revocation:
 *  - successor_box: the token that replaced this one, sealed with a key only the holder of THIS
 *    token can derive (so a benign concurrent refresh gets the same new token; the database alone
 *    never yields a usable secret);
 *  - an index on revoked_at, polled by every hub process to end the access tokens of ended sessions.
 */
export class AuthSessions1700000000200 implements MigrationInterface {
  name = 'AuthSessions1700000000200';
  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('refresh_tokens', new TableColumn(col.str('successor_box', 255, true)));
    await q.createIndex('refresh_tokens', new TableIndex({ name: 'ix_refresh_revoked', columnNames: ['revoked_at'] }));
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('refresh_tokens', 'ix_refresh_revoked');
    await q.dropColumn('refresh_tokens', 'successor_box');
  }
}
