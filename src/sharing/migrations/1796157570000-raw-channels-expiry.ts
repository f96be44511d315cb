import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { col } from '../../database/columns.js';

/**
 * Shares: the owner's explicit grant of raw client channels (off by default), and an index on
 * expiry for the sweep that ends open streams of shares that just expired.
 */
export class SharingRawChannelsExpiry1796157570000 implements MigrationInterface {
  name = 'SharingRawChannelsExpiry1796157570000';
  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('library_shares', new TableColumn(col.bool('allow_raw_channels')));
    await q.createIndex(
      'library_shares',
      new TableIndex({ name: 'ix_library_shares_expires', columnNames: ['expires_at'] }),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('library_shares', 'ix_library_shares_expires');
    await q.dropColumn('library_shares', 'allow_raw_channels');
  }
}
