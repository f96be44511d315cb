/**
 * Libraries of a generic origin: named path prefixes (`--library movies=/Movies/`), reported to
 * the hub in every heartbeat like a Phlix server reports its libraries. The hub enforces a
 * library share as "only paths under this prefix".
 */
export interface AgentLibrary {
  id: string;
  name: string;
  prefix: string;
}

/** Heartbeat capabilities: this is a generic origin; its paths are case-insensitive (optional). */
export const AGENT_CAPABILITIES = { generic: 'origin.generic', caseInsensitive: 'paths.case_insensitive' } as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** `name=/prefix/` → a library; the name doubles as its id. Throws on anything else. */
export function parseLibrarySpec(spec: string): AgentLibrary {
  const i = spec.indexOf('=');
  const name = (i < 0 ? '' : spec.slice(0, i)).trim();
  let prefix = (i < 0 ? '' : spec.slice(i + 1)).trim();
  if (
    !NAME.test(name) ||
    !prefix.startsWith('/') ||
    prefix === '/' ||
    prefix.length > 254 ||
    /[\\?#\u0000-\u001f]/.test(prefix) ||
    prefix.split('/').some((s) => s === '..' || s === '.')
  ) {
    throw new Error(`--library must be name=/path/prefix/ (e.g. movies=/Movies/), got "${spec}"`);
  }
  if (!prefix.endsWith('/')) prefix += '/';
  return { id: name, name, prefix };
}

/** Every `--library` flag plus PHLIX_AGENT_LIBRARIES (comma-separated specs); names are unique. */
export function parseLibraries(flags: string[] | undefined, env = process.env.PHLIX_AGENT_LIBRARIES): AgentLibrary[] {
  const specs = [
    ...(flags ?? []),
    ...(env
      ? env
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []),
  ];
  const out = new Map<string, AgentLibrary>();
  for (const s of specs) {
    const lib = parseLibrarySpec(s);
    if (out.has(lib.id)) throw new Error(`--library "${lib.id}" is given twice`);
    out.set(lib.id, lib);
  }
  return [...out.values()];
}
