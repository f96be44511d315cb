import { randomBytes } from 'node:crypto';

/** Longest username the users table holds. */
export const USERNAME_MAX = 50;

/**
 * Username of a shadow (linked) account: `<remote username>@<peer hub id>`, e.g. `alice@hub-a`.
 * Local sign-ups can never take such a name (their usernames may not contain "@" or ":"), so a
 * shadow account cannot be squatted or impersonated by a local user. The remote part keeps
 * letters, digits and _ . - (others become "_") and at most 30 characters; the whole name is cut
 * to 50 characters. When the name is taken (another remote user of the same peer with the same
 * name, or a cut hub id), `attempt` > 0 ends it with "-" and 4 random hex digits instead.
 */
export function shadowUsername(remoteUsername: string, peerHubId: string, attempt = 0): string {
  const name = (remoteUsername.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'user').slice(0, 30);
  const full = `${name}@${peerHubId}`.slice(0, USERNAME_MAX);
  if (attempt === 0) return full;
  return `${full.slice(0, USERNAME_MAX - 5)}-${randomBytes(2).toString('hex')}`;
}
