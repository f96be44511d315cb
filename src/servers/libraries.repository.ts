import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, Not, Repository } from 'typeorm';
import { DbDialect } from '../database/dialect.js';
import { ServerLibrary } from './entities/server-library.entity.js';
import type { LibraryRef } from './wire/heartbeat.js';

/** The `server_libraries` cache: the libraries each server last reported. */
@Injectable()
export class LibrariesRepository {
  constructor(
    @InjectRepository(ServerLibrary) private readonly libraries: Repository<ServerLibrary>,
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
  ) {}

  /** Libraries of these servers, by name (unordered when `ordered` is false). */
  ofServers(serverIds: string[], ordered = true): Promise<ServerLibrary[]> {
    return this.libraries.find({
      where: { serverId: In(serverIds) },
      ...(ordered ? { order: { libraryName: 'ASC', libraryId: 'ASC' } } : {}),
    });
  }

  ofServer(serverId: string): Promise<ServerLibrary[]> {
    return this.libraries.find({ where: { serverId }, order: { libraryName: 'ASC', libraryId: 'ASC' } });
  }

  /** The libraries of a server reported with a path prefix. */
  async pathPrefixesOf(serverId: string): Promise<{ libraryId: string; pathPrefix: string }[]> {
    const rows = await this.libraries.find({
      where: { serverId, pathPrefix: Not(IsNull()) },
      select: { id: true, libraryId: true, pathPrefix: true },
    });
    return rows.map((l) => ({ libraryId: l.libraryId, pathPrefix: l.pathPrefix as string }));
  }

  find(serverId: string, libraryId: string): Promise<ServerLibrary | null> {
    return this.libraries.findOne({ where: { serverId, libraryId } });
  }

  /** Make the cache exactly `libs`: upsert each (name and prefix follow the server), delete the rest. */
  async replace(serverId: string, libs: LibraryRef[], now: number): Promise<void> {
    const upsert = `INSERT INTO server_libraries (id, server_id, library_id, library_name, path_prefix, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ${this.dialect.upsertSuffix(
      ['server_id', 'library_id'],
      `library_name = ${this.dialect.excluded('library_name')}, path_prefix = ${this.dialect.excluded('path_prefix')}, updated_at = ${this.dialect.excluded('updated_at')}`,
    )}`;
    for (const l of libs) {
      await this.ds.query(upsert, [randomUUID(), serverId, l.id, l.name, l.prefix ?? null, now, now]);
    }
    const qb = this.libraries
      .createQueryBuilder()
      .delete()
      .from(ServerLibrary)
      .where('server_id = :s', { s: serverId });
    if (libs.length) qb.andWhere('library_id NOT IN (:...ids)', { ids: libs.map((l) => l.id) });
    await qb.execute();
  }

  async deleteOf(serverId: string): Promise<void> {
    await this.libraries.delete({ serverId });
  }
}
