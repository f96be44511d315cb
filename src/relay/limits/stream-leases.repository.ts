import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DbDialect } from '../../database/dialect.js';
import { LIKE_ESCAPE, likePrefix } from '../../common/sql-like.js';
import type { StreamKind } from './stream-leases.service.js';

export interface LeaseRow {
  id: string;
  userId: string;
  serverId: string;
  kind: StreamKind;
}

/** Live leases of other processes, counted per user and per server (one query). */
export interface RemoteLeaseCounts {
  total: number;
  users: Map<string, number>;
  servers: Map<string, number>;
}

/** SQL of relay_stream_leases and the admission lock row of relay_locks. */
@Injectable()
export class StreamLeasesRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly dialect: DbDialect,
  ) {}

  /**
   * One admission transaction: lock the `admission` row, count the live leases of other processes
   * (hub-wide, the user's, the server's) and, when `decide` says so, insert this one.
   */
  async admitLocked<T>(
    node: string,
    live: number,
    userId: string,
    serverId: string,
    decide: (others: { hub: number; user: number; server: number }) => T | null,
    row: LeaseRow,
    now: number,
  ): Promise<T | null> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT name FROM relay_locks WHERE name = 'admission' ${this.dialect.forUpdate}`);
      const n = (rows: { n: unknown }[]) => Number(rows[0]?.n ?? 0);
      const base = 'SELECT COUNT(*) AS n FROM relay_stream_leases WHERE seen_at > ? AND node <> ?';
      const [hub, user, server] = [
        n(await m.query(base, [live, node])),
        n(await m.query(`${base} AND user_id = ?`, [live, node, userId])),
        n(await m.query(`${base} AND server_id = ?`, [live, node, serverId])),
      ];
      const refused = decide({ hub, user, server });
      if (refused !== null) return refused;
      await m.query(
        'INSERT INTO relay_stream_leases (id, user_id, server_id, kind, node, started_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [row.id, row.userId, row.serverId, row.kind, node, now, now],
      );
      return null;
    });
  }

  /** Write a batch: new leases of this process in, ended ones out. */
  async apply(node: string, insert: LeaseRow[], remove: string[], now: number): Promise<void> {
    for (let i = 0; i < insert.length; i += 200) {
      const part = insert.slice(i, i + 200);
      await this.ds.query(
        `INSERT INTO relay_stream_leases (id, user_id, server_id, kind, node, started_at, seen_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        part.flatMap((r) => [r.id, r.userId, r.serverId, r.kind, node, now, now]),
      );
    }
    for (let i = 0; i < remove.length; i += 500) {
      const part = remove.slice(i, i + 500);
      await this.ds.query(`DELETE FROM relay_stream_leases WHERE id IN (${part.map(() => '?').join(', ')})`, part);
    }
  }

  async others(node: string, live: number): Promise<RemoteLeaseCounts> {
    const rows: { user_id: string; server_id: string; n: unknown }[] = await this.ds.query(
      'SELECT user_id, server_id, COUNT(*) AS n FROM relay_stream_leases WHERE seen_at > ? AND node <> ? GROUP BY user_id, server_id',
      [live, node],
    );
    const out: RemoteLeaseCounts = { total: 0, users: new Map(), servers: new Map() };
    for (const r of rows) {
      const n = Number(r.n);
      out.total += n;
      out.users.set(r.user_id, (out.users.get(r.user_id) ?? 0) + n);
      out.servers.set(r.server_id, (out.servers.get(r.server_id) ?? 0) + n);
    }
    return out;
  }

  async countOthers(node: string, live: number, userId?: string): Promise<number> {
    const rows: { n: unknown }[] = userId
      ? await this.ds.query(
          'SELECT COUNT(*) AS n FROM relay_stream_leases WHERE seen_at > ? AND node <> ? AND user_id = ?',
          [live, node, userId],
        )
      : await this.ds.query('SELECT COUNT(*) AS n FROM relay_stream_leases WHERE seen_at > ? AND node <> ?', [
          live,
          node,
        ]);
    return Number(rows[0]?.n ?? 0);
  }

  async touch(node: string, now: number): Promise<void> {
    await this.ds.query('UPDATE relay_stream_leases SET seen_at = ? WHERE node = ?', [now, node]);
  }

  async dropStale(node: string, before: number): Promise<void> {
    await this.ds.query('DELETE FROM relay_stream_leases WHERE seen_at < ? AND node <> ?', [before, node]);
  }

  async dropNode(node: string): Promise<void> {
    await this.ds.query('DELETE FROM relay_stream_leases WHERE node = ?', [node]);
  }

  /** Leases of every process of a replica (`<replica>:<pid>:<tag>`) that began before `before`. */
  async dropReplica(replica: string, before: number): Promise<number> {
    const r: unknown = await this.ds.query(
      `DELETE FROM relay_stream_leases WHERE node LIKE ? ${LIKE_ESCAPE} AND started_at < ?`,
      [likePrefix(`${replica}:`), before],
    );
    const affected = (r as { affectedRows?: number } | undefined)?.affectedRows;
    return typeof affected === 'number' ? affected : 0;
  }
}
