/** A claimed server as `server:export` writes it. */
export interface ClaimedServerRecord {
  id: string;
  name: string;
  ownerId: string;
  keyThumbprint: string;
  version: string;
  status: string;
  subdomain: string | null;
  /** JSON array of strings */
  hostnameCandidates: string;
  lastSeenAt: number | null;
  enrolledAt: number | null;
  /** by library name */
  libraries: { libraryId: string; libraryName: string }[];
}

/** What the servers feature provides to `server:export` (bound by ServerPortsModule). */
export abstract class ServerExportSource {
  /** Every claimed server, oldest first, with its libraries. */
  abstract claimedServers(): Promise<ClaimedServerRecord[]>;
}
