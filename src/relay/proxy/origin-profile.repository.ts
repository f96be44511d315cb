import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OriginKind } from './request-rules.js';
import { normalizePath } from './path-normalize.js';

/** Capabilities the agent reports in its heartbeat (src/agent/hub-client.ts). */
export const CAP_GENERIC_ORIGIN = 'origin.generic';
export const CAP_CASE_INSENSITIVE = 'paths.case_insensitive';

export interface OriginProfile {
  kind: OriginKind;
  /** the origin folds case (paths are compared and sent lower-cased) */
  foldCase: boolean;
  /** path-prefix libraries, prefixes ending with / (lower-cased when foldCase) */
  libraries: { id: string; prefix: string }[];
}

/**
 * What the relay needs to know about a server's origin to judge a path: a Phlix server or a
 * generic origin behind the agent (declared by capability, or by reporting path-prefix libraries),
 * whether it folds case, and its library prefixes.
 */
@Injectable()
export class OriginProfiles {
  constructor(private readonly ds: DataSource) {}

  async of(serverId: string): Promise<OriginProfile> {
    const [srv, libs] = await Promise.all([
      this.ds.query('SELECT capabilities FROM servers WHERE id = ?', [serverId]) as Promise<
        { capabilities: string | null }[]
      >,
      this.ds.query(
        'SELECT library_id, path_prefix FROM server_libraries WHERE server_id = ? AND path_prefix IS NOT NULL',
        [serverId],
      ) as Promise<{ library_id: string; path_prefix: string }[]>,
    ]);
    let caps: unknown = [];
    try {
      caps = JSON.parse(srv[0]?.capabilities ?? '[]');
    } catch {
      caps = [];
    }
    const has = (c: string) => Array.isArray(caps) && caps.includes(c);
    const foldCase = has(CAP_CASE_INSENSITIVE);
    // prefixes get the same normalisation as request paths, so both sides compare alike
    const libraries = libs.flatMap((l) => {
      try {
        const p = normalizePath(l.path_prefix.split('/').map(encodeURIComponent).join('/') + '/', { foldCase }).decoded;
        return p === '/' ? [] : [{ id: l.library_id, prefix: p }];
      } catch {
        return [];
      }
    });
    return { kind: has(CAP_GENERIC_ORIGIN) || libraries.length ? 'generic' : 'phlix', foldCase, libraries };
  }
}
