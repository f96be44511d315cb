/**
 * Fleet figures the servers feature provides to the dashboard, metrics and shutdown
 * (bound by ServersModule).
 */
export abstract class ServerStats {
  /** Claimed servers (owner set) by status. */
  abstract claimedCountsByStatus(): Promise<Record<string, number>>;
  /** Ids of the claimed servers. */
  abstract claimedServerIds(): Promise<string[]>;
}
