import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from '../../database/columns.js';

/** Libraries of a generic origin are path prefixes (reported by the agent in its heartbeat). */
export class ServersLibraryPrefix1796157564911 implements MigrationInterface {
  name = 'ServersLibraryPrefix1796157564911';
  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('server_libraries', new TableColumn(col.str('path_prefix', 255, true)));
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('server_libraries', 'path_prefix');
  }
}
