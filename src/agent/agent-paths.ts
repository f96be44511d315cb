import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { STATE_FILE } from './agent-state.js';

/**
 * Where the agent keeps its identity key and pairing when neither `--data-dir` nor
 * `PHLIX_AGENT_DATA_DIR` says: per user, never the current directory (two installs started from
 * one checkout would otherwise share one identity). `$XDG_CONFIG_HOME/phlix-agent`, else
 * `~/.config/phlix-agent` (`%APPDATA%\phlix-agent` on Windows).
 */
export function defaultAgentDataDir(
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
  platform = process.platform,
): string {
  if (env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)) return join(env.XDG_CONFIG_HOME, 'phlix-agent');
  if (platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'phlix-agent');
  return join(home, '.config', 'phlix-agent');
}

/** `--data-dir`, then `PHLIX_AGENT_DATA_DIR`, then the per-user default. */
export function agentDataDir(o: { dataDir?: string }, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(o.dataDir ?? env.PHLIX_AGENT_DATA_DIR ?? defaultAgentDataDir(env));
}

/**
 * Earlier versions kept the state in `./phlix-agent` by default. When the default applies and such
 * a file exists here, say so (it is not used: pass `--data-dir ./phlix-agent` to keep that pairing).
 */
export function legacyStateNote(
  o: { dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string | null {
  if (o.dataDir || env.PHLIX_AGENT_DATA_DIR) return null;
  const old = join(cwd, 'phlix-agent');
  if (!existsSync(join(old, STATE_FILE)) || resolve(old) === agentDataDir(o, env)) return null;
  return `note: ${join(old, STATE_FILE)} (an older default location) is not used; the agent now keeps its key in ${agentDataDir(o, env)}. To keep that pairing, run with --data-dir ${old}`;
}
