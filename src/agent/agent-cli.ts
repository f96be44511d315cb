import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { RelayAgent } from './relay-agent.js';
import { AgentState } from './agent-state.js';
import { HubClient } from './hub-client.js';
import { parseLibraries } from './agent-libraries.js';

/** Options of `phlix-hub agent` (shared by the nest-commander command and the plain entry). */
export interface AgentCliOptions {
  hub?: string;
  origin?: string;
  claimToken?: string;
  dataDir?: string;
  name?: string;
  tunnelUrl?: string;
  plain?: boolean;
  /** raw client channels go to this host:port ('none' = refuse them); default: the origin's host:port */
  channelTarget?: string;
  /** `name=/prefix/` specs (repeatable); PHLIX_AGENT_LIBRARIES adds comma-separated ones */
  library?: string[];
  /** the origin folds case in paths */
  caseInsensitive?: boolean;
}

export interface AgentIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: AgentIo = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

export function agentDataDir(o: AgentCliOptions): string {
  return resolve(o.dataDir ?? process.env.PHLIX_AGENT_DATA_DIR ?? './phlix-agent');
}

function checkUrl(name: string, v: string | undefined, protocols: string[]): string {
  if (!v) throw new Error(`--${name} is required`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`--${name} must be a URL, got "${v}"`);
  }
  if (!protocols.includes(u.protocol)) throw new Error(`--${name} must be ${protocols.join(' or ')} URL, got "${v}"`);
  return v.replace(/\/+$/, '');
}

/**
 * `phlix-hub agent --hub URL --origin URL [--claim-token T] [--data-dir D]`: pair (printing the
 * claim code, or silently with a claim token), then relay until SIGINT/SIGTERM or until the hub
 * revokes the enrollment. Returns the exit code.
 */
export async function runAgent(o: AgentCliOptions, io: AgentIo = stdio, stopSignal?: Promise<void>): Promise<number> {
  const dataDir = agentDataDir(o);
  const known = AgentState.open(dataDir).data.hub_base_url;
  const hubUrl = checkUrl('hub', o.hub ?? known, ['http:', 'https:']);
  const origin = checkUrl('origin', o.origin, ['http:', 'https:']);
  const tunnelUrl = o.tunnelUrl ? checkUrl('tunnel-url', o.tunnelUrl, ['ws:', 'wss:']) : undefined;
  const libraries = parseLibraries(o.library);
  const agent = new RelayAgent({
    hubUrl, origin, dataDir, tunnelUrl, claimToken: o.claimToken ?? process.env.PHLIX_CLAIM_TOKEN, serverName: o.name,
    creditWindow: o.plain ? 0 : undefined, channelTarget: o.channelTarget, libraries, caseInsensitive: o.caseInsensitive,
    log: (m) => io.err(`phlix-hub agent: ${m}`),
    onClaimCode: (code, expiresIn) => io.out(`Claim code: ${code} (valid ${Math.round(expiresIn / 60)} min). Enter it on ${hubUrl} under My Servers.`),
  });
  agent.on('enrolled', (id: string) => io.out(`Claimed! Server ID: ${id}`));
  agent.on('tunnel-up', () => io.out('Relay tunnel up'));
  let revoked = false;
  let stop!: () => void;
  const stopped = new Promise<void>((res) => (stop = res));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  agent.once('revoked', () => {
    revoked = true;
    stop();
  });
  void stopSignal?.then(stop);
  const starting = agent.start();
  starting.catch(() => undefined); // a stop during pairing ends it; real failures surface through the race
  try {
    await Promise.race([starting, stopped]);
    await stopped;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await agent.stop();
  }
  return revoked ? 3 : 0;
}

/** `phlix-hub agent release`: deregister from the hub and forget the enrollment (the key stays). */
export async function releaseAgent(o: AgentCliOptions, io: AgentIo = stdio): Promise<number> {
  const state = AgentState.open(agentDataDir(o));
  const { server_id: id, enrollment_jwt: jwt, hub_base_url: enrolledHub } = state.data;
  if (!id || !jwt) {
    io.err('phlix-hub agent: this agent is not enrolled with a hub');
    return 1;
  }
  const hub = new HubClient(o.hub ?? enrolledHub!);
  try {
    await hub.deregister(id, jwt);
  } catch (e) {
    const gone = (e as { revoked?: boolean }).revoked === true;
    if (!gone) throw e;
  }
  state.clearEnrollment();
  io.out(JSON.stringify({ released: true, server_id: id }));
  return 0;
}

/** Plain argv entry (`agent …` / `agent release …`) without Nest, for a lightweight launcher. */
export async function agentMain(argv: string[], io: AgentIo = stdio): Promise<number> {
  const release = argv[0] === 'release';
  const { values } = parseArgs({
    args: release ? argv.slice(1) : argv,
    options: {
      hub: { type: 'string' }, origin: { type: 'string' }, 'claim-token': { type: 'string' }, 'data-dir': { type: 'string' },
      name: { type: 'string' }, 'tunnel-url': { type: 'string' }, plain: { type: 'boolean' }, 'channel-target': { type: 'string' },
      library: { type: 'string', multiple: true }, 'case-insensitive': { type: 'boolean' },
    },
    strict: true,
  });
  const o: AgentCliOptions = {
    hub: values.hub, origin: values.origin, claimToken: values['claim-token'], dataDir: values['data-dir'], name: values.name,
    tunnelUrl: values['tunnel-url'], plain: values.plain, channelTarget: values['channel-target'], library: values.library,
    caseInsensitive: values['case-insensitive'],
  };
  try {
    return release ? await releaseAgent(o, io) : await runAgent(o, io);
  } catch (e) {
    io.err(`phlix-hub agent: ${(e as Error).message}`);
    return 1;
  }
}
