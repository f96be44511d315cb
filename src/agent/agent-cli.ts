import { parseArgs } from 'node:util';
import { RelayAgent } from './relay-agent.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AgentState, STATE_FILE } from './agent-state.js';
import { HubClient } from './hub-client.js';
import { parseLibraries } from './agent-libraries.js';
import { agentDataDir, legacyStateNote } from './agent-paths.js';
import { agentHelp } from './agent-help.js';
import { forgetEndedPairing, moveIfOtherHub, pairingEnded } from './agent-pairing.js';

export { agentDataDir } from './agent-paths.js';

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

/** Where the owner enters a claim code, in the hub's web app. */
export const addServerScreen = (hubUrl: string) => `${hubUrl} under My servers → Add a server (${hubUrl}/servers/add)`;

function checkUrl(name: string, v: string | undefined, protocols: string[]): string {
  if (!v) throw new Error(`--${name} is required (phlix-hub agent --help shows every option)`);
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
  const note = legacyStateNote(o);
  if (note) io.err(`phlix-hub agent: ${note}`);
  const state = AgentState.open(dataDir);
  const hubUrl = checkUrl('hub', o.hub ?? state.data.hub_base_url, ['http:', 'https:']);
  const origin = checkUrl('origin', o.origin, ['http:', 'https:']);
  const tunnelUrl = o.tunnelUrl ? checkUrl('tunnel-url', o.tunnelUrl, ['ws:', 'wss:']) : undefined;
  const libraries = parseLibraries(o.library);
  await moveIfOtherHub(state, hubUrl, io);
  if (!state.enrolled) io.out(`Pairing with ${hubUrl} (key and pairing kept in ${dataDir})`);
  const agent = new RelayAgent({
    hubUrl,
    origin,
    dataDir,
    tunnelUrl,
    claimToken: o.claimToken ?? process.env.PHLIX_CLAIM_TOKEN,
    serverName: o.name,
    creditWindow: o.plain ? 0 : undefined,
    channelTarget: o.channelTarget,
    libraries,
    caseInsensitive: o.caseInsensitive,
    log: (m) => io.err(`phlix-hub agent: ${m}`),
    onClaimCode: (code, expiresIn) =>
      io.out(
        `Claim code: ${code} (valid ${Math.round(expiresIn / 60)} min). Sign in on ${addServerScreen(hubUrl)} and enter it there.`,
      ),
  });
  agent.on('enrolled', (id: string) => io.out(`Claimed! Server ID: ${id}`));
  agent.on('tunnel-up', () => io.out('Relay tunnel up'));
  let revoked: { why: string; jwt: string | undefined } | null = null;
  let stop!: () => void;
  const stopped = new Promise<void>((res) => (stop = res));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  agent.once('revoked', (why: string) => {
    revoked = { why, jwt: agent.state.data.enrollment_jwt };
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
  if (!revoked) return 0;
  const { why, jwt } = revoked as { why: string; jwt: string | undefined };
  if (!pairingEnded(why)) {
    io.err(
      `phlix-hub agent: this server's key was paired again elsewhere (${why}); this run stops and leaves the files alone`,
    );
    return 3;
  }
  const forgot = forgetEndedPairing(dataDir, jwt);
  io.out(
    `${hubUrl} no longer accepts this server (${why}): it was released or removed there.${forgot ? ' Its pairing is forgotten here (the key stays).' : ''}` +
      ` Run the agent again to pair: it shows a new claim code to enter on ${addServerScreen(hubUrl)}.`,
  );
  return 3;
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
  io.err(
    `phlix-hub agent: released from ${hub.base}; the key stays in ${state.dataDir}. Run the agent with --hub <url> to pair with a hub again (this one or another).`,
  );
  return 0;
}

/** `phlix-hub agent status`: where this agent is paired (JSON on stdout; no secrets). */
export function agentStatus(o: AgentCliOptions, io: AgentIo = stdio): number {
  const dataDir = agentDataDir(o);
  if (!existsSync(join(dataDir, STATE_FILE))) {
    io.out(
      JSON.stringify({ data_dir: dataDir, paired: false, hub: null, server_id: null, paired_at: null, key_id: null }),
    );
    io.err('phlix-hub agent: no key here yet; run it with --hub <url> --origin <url> to pair');
    return 0;
  }
  const s = AgentState.open(dataDir);
  io.out(
    JSON.stringify({
      data_dir: dataDir,
      paired: s.enrolled,
      hub: s.data.hub_base_url ?? null,
      server_id: s.data.server_id ?? null,
      paired_at: s.data.enrolled_at ? new Date(s.data.enrolled_at).toISOString() : null,
      key_id: s.data.public_jwk.kid ?? null,
    }),
  );
  if (!s.enrolled) io.err('phlix-hub agent: not paired; run it with --hub <url> --origin <url> to pair');
  return 0;
}

const ACTIONS = ['release', 'status', 'help'] as const;

const parseOptions = (args: string[]) =>
  parseArgs({
    args,
    options: {
      help: { type: 'boolean', short: 'h' },
      hub: { type: 'string' },
      origin: { type: 'string' },
      'claim-token': { type: 'string' },
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      'tunnel-url': { type: 'string' },
      plain: { type: 'boolean' },
      'channel-target': { type: 'string' },
      library: { type: 'string', multiple: true },
      'case-insensitive': { type: 'boolean' },
    },
    strict: true,
  }).values;

/** Plain argv entry (`agent …` / `agent release …` / `agent status` / `agent --help`) without Nest. */
export async function agentMain(argv: string[], io: AgentIo = stdio): Promise<number> {
  const action = (ACTIONS as readonly string[]).includes(argv[0])
    ? argv[0]
    : argv[0] && !argv[0].startsWith('-')
      ? argv[0]
      : null;
  if (action && !(ACTIONS as readonly string[]).includes(action)) {
    io.err(`phlix-hub agent: unknown action "${action}" (release, status or --help)\n\n${agentHelp()}`);
    return 2;
  }
  let values: ReturnType<typeof parseOptions>;
  try {
    values = parseOptions(action ? argv.slice(1) : argv);
  } catch (e) {
    io.err(`phlix-hub agent: ${(e as Error).message}\n\n${agentHelp()}`);
    return 2;
  }
  if (values.help || action === 'help') {
    io.out(agentHelp());
    return 0;
  }
  const o: AgentCliOptions = {
    hub: values.hub,
    origin: values.origin,
    claimToken: values['claim-token'],
    dataDir: values['data-dir'],
    name: values.name,
    tunnelUrl: values['tunnel-url'],
    plain: values.plain,
    channelTarget: values['channel-target'],
    library: values.library,
    caseInsensitive: values['case-insensitive'],
  };
  try {
    if (action === 'status') return agentStatus(o, io);
    return action === 'release' ? await releaseAgent(o, io) : await runAgent(o, io);
  } catch (e) {
    io.err(`phlix-hub agent: ${(e as Error).message}`);
    return 1;
  }
}
