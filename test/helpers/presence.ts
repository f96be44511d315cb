import { RelayPresence } from '../../src/common/relay-presence.js';
import type { TestHub } from './hub.js';

/**
 * Make the hub's RelayPresence (the live tunnel registry) answer from `stub` instead, for tests
 * that need tunnels without opening any. Returns a function that puts the real answers back.
 */
export function stubPresence(hub: TestHub, stub: Partial<RelayPresence>): () => void {
  const presence = hub.get(RelayPresence) as unknown as Record<string, unknown>;
  const keys = Object.keys(stub);
  Object.assign(presence, stub);
  return () => {
    for (const k of keys) delete presence[k];
  };
}
