import { defaultAgentDataDir } from './agent-paths.js';

/** `phlix-hub agent --help`. */
export function agentHelp(): string {
  return `Usage:
  phlix-hub agent --hub <url> --origin <url> [options]   pair (first run) and relay
  phlix-hub agent release [--data-dir <dir>]             remove this server from its hub
  phlix-hub agent status [--data-dir <dir>]              show where it is paired
  phlix-hub agent --help

Puts any HTTP server (Jellyfin, a file server, ...) behind a Phlix hub: the agent keeps a tunnel to
the hub open from inside your network, and the hub relays the people you share with to it.

First run: the agent prints a claim code. Sign in on the hub's web app and enter it under
My servers -> Add a server. Headless machines: make a claim token on that same page and pass it
with --claim-token. Later runs reuse the pairing (no code).

Moving to another hub: run it with the other --hub; it removes itself from the old hub and pairs
with the new one. After the server was released on the hub (or with 'agent release'), the next run
pairs again with a new claim code.

Options:
  --hub <url>              the hub, e.g. https://hub.example.com (default: the hub it is paired with)
  --origin <url>           the local server to expose, e.g. http://127.0.0.1:8096
  --claim-token <token>    pair without a code (one use, 10 minutes; also PHLIX_CLAIM_TOKEN)
  --name <name>            the server's name on the hub (default: this machine's host name)
  --data-dir <dir>         where the key and pairing live (also PHLIX_AGENT_DATA_DIR;
                           default ${defaultAgentDataDir()}); the file is mode 0600
  --library <name=/prefix/>  a library as a path prefix of the origin, e.g. movies=/Movies/
                           (repeatable; also PHLIX_AGENT_LIBRARIES=movies=/Movies/,tv=/TV/)
  --case-insensitive       the origin treats paths case-insensitively
  --channel-target <host:port>  where raw client channels go (default: the origin's; "none" refuses them)
  --tunnel-url <url>       tunnel WebSocket URL (default <hub>/api/v1/relay/tunnel)
  --plain                  do not offer credit flow control
  -h, --help               this text

Exit codes: 0 stopped, 1 failed, 2 bad usage, 3 the hub no longer accepts this server (run again to pair).`;
}
