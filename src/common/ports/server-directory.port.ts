/** A server's origin as its agent last reported it (heartbeat capabilities and library prefixes). */
export interface ServerOriginFacts {
  /** the reported capabilities; empty when none were reported or the stored list is unreadable */
  capabilities: string[];
  /** libraries reported with a path prefix, as reported (not normalised) */
  libraryPrefixes: { libraryId: string; pathPrefix: string }[];
}

/** What the servers feature tells the relay about servers (bound by ServerPortsModule). */
export abstract class ServerDirectory {
  /** The origin facts of a server (empty for an unknown one). */
  abstract originFactsOf(serverId: string): Promise<ServerOriginFacts>;
  /** Display names of these servers, by id (unknown ids are left out). */
  abstract namesOf(ids: string[]): Promise<Map<string, string>>;
}
