import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns.js';

/** The library list a server last reported in its heartbeat. */
@Entity('server_libraries')
export class ServerLibrary {
  @PrimaryColumn('varchar', { length: 36 }) id: string;
  @Column('varchar', { name: 'server_id', length: 36 }) serverId: string;
  /** the server's own library id (opaque string) */
  @Column('varchar', { name: 'library_id', length: 191 }) libraryId: string;
  @Column('varchar', { name: 'library_name', length: 255 }) libraryName: string;
  /** generic origins (the agent): the path prefix that is this library, e.g. /Movies/; null for a Phlix server */
  @Column('varchar', { name: 'path_prefix', length: 255, nullable: true }) pathPrefix: string | null;
  @Column('bigint', { name: 'created_at', transformer: bigintNumber }) createdAt: number;
  @Column('bigint', { name: 'updated_at', transformer: bigintNumber }) updatedAt: number;
}
