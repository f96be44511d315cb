import { HOP_BY_HOP } from '../relay/codec/index.js';
import type { RequestHead } from './origin-conn.js';

/** Hop-by-hop headers and Host (the agent sets the origin's own): never forwarded. */
export const HOP = new Set([...HOP_BY_HOP, 'host']);

/** `[name, value, …]` → one entry per name (repeats joined with ", "), without the names in `drop`. */
export function joinRaw(raw: string[], drop: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (drop.has(lower)) continue;
    const key = seen.get(lower);
    if (key !== undefined) {
      out[key] = `${out[key]}, ${raw[i + 1]}`;
    } else {
      seen.set(lower, name);
      out[name] = raw[i + 1]!;
    }
  }
  return out;
}

/** Header names and values Node's client would refuse; refused here too, for either client. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const BAD_PATH = /[^\x21-\xff]/;

/** Refuses what Node's client would refuse: unescaped path characters, bad header names and values. */
export function checkOriginRequest(head: RequestHead): void {
  if (BAD_PATH.test(head.path)) throw new Error('path has characters that must be escaped');
  for (const [k, v] of Object.entries(head.headers)) {
    if (!TOKEN.test(k) || BAD_VALUE.test(v)) throw new Error(`invalid header ${JSON.stringify(k.slice(0, 64))}`);
  }
}

/** The first value of a header in `[name, value, …]` (name in lower case), if any. */
export function firstValue(raw: string[], lower: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) return raw[i + 1];
  return undefined;
}
