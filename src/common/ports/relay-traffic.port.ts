/** Relay byte counts for the admin dashboard. */
export abstract class RelayTraffic {
  /** Bytes in + out of tunnels open at some point since `since` (per tunnel lifetime). */
  abstract bytesOfTunnelsOpenSince(since: number): Promise<number>;
}
