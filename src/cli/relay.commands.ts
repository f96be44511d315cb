import { Command, CommandRunner, Option } from 'nest-commander';
import { releaseAgent, runAgent, type AgentCliOptions } from '../agent/agent-cli.js';
import { fail } from './cli-io.js';

/**
 * `phlix-hub agent --hub URL --origin URL [--claim-token T] [--data-dir D]` runs the relay agent;
 * `phlix-hub agent release [--data-dir D]` deregisters it from its hub. (`release` is an argument,
 * not a nest-commander sub-command, so both forms share one option set.) The logic lives in
 * src/agent/agent-cli.ts.
 */
@Command({
  name: 'agent',
  arguments: '[action]',
  description:
    'Relay agent: give any HTTP media server (Jellyfin, a file server…) remote access through a hub; "agent release" deregisters it',
})
export class AgentCommand extends CommandRunner {
  async run(params: string[], o: AgentCliOptions): Promise<void> {
    const action = params[0];
    if (action !== undefined && action !== 'release') fail(`unknown agent action "${action}" (only "release")`, 2);
    let code: number;
    try {
      code = action === 'release' ? await releaseAgent(o) : await runAgent(o);
    } catch (e) {
      fail((e as Error).message, 1);
    }
    if (code !== 0) process.exitCode = code;
  }

  @Option({
    flags: '--hub <url>',
    description: 'the hub, e.g. https://hub.example.com (release: defaults to the enrolled hub)',
  })
  parseHub(v: string) {
    return v;
  }
  @Option({ flags: '--origin <url>', description: 'the local server to expose, e.g. http://127.0.0.1:8096' })
  parseOrigin(v: string) {
    return v;
  }
  @Option({
    flags: '--claim-token <token>',
    description: 'claim headlessly with a token from the hub (POST /api/v1/me/claim-tokens)',
  })
  parseToken(v: string) {
    return v;
  }
  @Option({
    flags: '--data-dir <dir>',
    description:
      'where the key and pairing live (default $XDG_CONFIG_HOME/phlix-agent or ~/.config/phlix-agent; also PHLIX_AGENT_DATA_DIR; the file is mode 0600)',
  })
  parseDataDir(v: string) {
    return v;
  }
  @Option({ flags: '--name <name>', description: 'server name shown on the hub' }) parseName(v: string) {
    return v;
  }
  @Option({ flags: '--tunnel-url <url>', description: 'tunnel WebSocket URL (default <hub>/api/v1/relay/tunnel)' })
  parseTunnel(v: string) {
    return v;
  }
  @Option({
    flags: '--channel-target <host:port>',
    description: 'where raw client channels are bridged (TCP; default: the origin\'s host:port; "none" refuses them)',
  })
  parseChannelTarget(v: string) {
    return v;
  }
  @Option({
    flags: '--library <name=/prefix/>',
    description:
      'a library of the origin as a path prefix, e.g. movies=/Movies/ (repeatable; also PHLIX_AGENT_LIBRARIES=movies=/Movies/,tv=/TV/)',
  })
  parseLibrary(v: string, prev: string[] = []) {
    return [...prev, v];
  }
  @Option({
    flags: '--case-insensitive',
    description: 'the origin treats paths case-insensitively (the hub compares and sends them lower-cased)',
  })
  parseCaseInsensitive() {
    return true;
  }
  @Option({ flags: '--plain', description: 'do not offer credit flow control (plain Phlix protocol)' }) parsePlain() {
    return true;
  }
}

export const RELAY_COMMANDS = [AgentCommand];
