import { Injectable } from '@nestjs/common';
import { ServerDirectory } from '../../common/ports/server-directory.port.js';
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
  constructor(private readonly servers: ServerDirectory) {}

  async of(serverId: string): Promise<OriginProfile> {
    const { capabilities, libraryPrefixes } = await this.servers.originFactsOf(serverId);
    const has = (c: string) => capabilities.includes(c);
    const foldCase = has(CAP_CASE_INSENSITIVE);
    // prefixes get the same normalisation as request paths, so both sides compare alike
    const libraries = libraryPrefixes.flatMap((l) => {
      try {
        const p = normalizePath(l.pathPrefix.split('/').map(encodeURIComponent).join('/') + '/', { foldCase }).decoded;
        return p === '/' ? [] : [{ id: l.libraryId, prefix: p }];
      } catch {
        return [];
      }
    });
    return { kind: has(CAP_GENERIC_ORIGIN) || libraries.length ? 'generic' : 'phlix', foldCase, libraries };
  }
}
