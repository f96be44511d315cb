import { registerUser, type TestHub, type TestUser } from './hub.js';
import { pairServer, type PairedServer } from './servers.js';
import { relayHub, startAgent } from './relay.js';
import { startTestOrigin, type TestOrigin } from './relay-origin.js';
import type { RelayAgent } from '../../src/agent/relay-agent.js';

/** A relay hub, one owner, the test origin and that owner's server behind a connected agent. */
export interface OwnerRelay {
  hub: TestHub;
  owner: TestUser;
  origin: TestOrigin;
  server: PairedServer;
  agent: RelayAgent;
  close(): Promise<void>;
}

export async function ownerRelay(env: Record<string, string> = {}): Promise<OwnerRelay> {
  const hub = await relayHub(env);
  const owner = await registerUser(hub);
  const origin = await startTestOrigin();
  const server = await pairServer(hub, owner);
  const agent = await startAgent(hub, server, origin.url);
  return {
    hub,
    owner,
    origin,
    server,
    agent,
    async close() {
      await agent.stop();
      await hub.close();
      await origin.close();
    },
  };
}
