import { Injectable } from '@nestjs/common';
import { ServerDirectory, type ServerOriginFacts } from '../common/ports/server-directory.port.js';
import { ServersRepository } from './servers.repository.js';
import { LibrariesRepository } from './libraries.repository.js';

/** The servers feature's answers to the relay: origin facts and display names. */
@Injectable()
export class ServerDirectoryService extends ServerDirectory {
  constructor(
    private readonly servers: ServersRepository,
    private readonly libraries: LibrariesRepository,
  ) {
    super();
  }

  async originFactsOf(serverId: string): Promise<ServerOriginFacts> {
    const [raw, libraryPrefixes] = await Promise.all([
      this.servers.capabilitiesOf(serverId),
      this.libraries.pathPrefixesOf(serverId),
    ]);
    let caps: unknown;
    try {
      caps = JSON.parse(raw ?? '[]');
    } catch {
      caps = [];
    }
    const capabilities = Array.isArray(caps) ? caps.filter((c): c is string => typeof c === 'string') : [];
    return { capabilities, libraryPrefixes };
  }

  async namesOf(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    return new Map((await this.servers.namesOf(ids)).map((s) => [s.id, s.name]));
  }
}
