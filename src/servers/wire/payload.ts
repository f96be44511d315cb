import { HubError } from '../../common/hub-error.js';

/**
 * Reading the JSON bodies real Phlix servers send. Mirrors the shared PHP `PayloadAssert` rules
 * (docs/protocol/pairing.md, Payloads): messages `<Ctx> "<key>" is required.` / `must be a string.` /
 * `must be an integer.`; unknown keys are ignored; each key may have a camelCase (shared DTO) and a
 * snake_case (pairing doc) spelling — the first present one wins.
 */
export type Payload = Record<string, unknown>;

export function invalid(message: string): HubError {
  return new HubError('request.validation_failed', message);
}

export function asPayload(body: unknown, ctx: string): Payload {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid(`${ctx} body must be a JSON object.`);
  return body as Payload;
}

/** [key actually used, value] for the first spelling present (undefined counts as absent; null counts as present). */
export function pick(p: Payload, names: string[]): [string, unknown] {
  for (const n of names) if (Object.prototype.hasOwnProperty.call(p, n) && p[n] !== undefined) return [n, p[n]];
  return [names[0], undefined];
}

export function str(
  p: Payload,
  ctx: string,
  names: string[],
  opts: { required?: boolean; max?: number; nonEmpty?: boolean } = {},
): string | undefined {
  const [k, v] = pick(p, names);
  if (v === undefined || v === null) {
    if (opts.required) throw invalid(`${ctx} "${k}" is required.`);
    return undefined;
  }
  if (typeof v !== 'string') throw invalid(`${ctx} "${k}" must be a string.`);
  if (opts.nonEmpty && v.trim() === '') throw invalid(`${ctx} "${k}" must be a non-empty string.`);
  if (opts.max !== undefined && v.length > opts.max) {
    throw invalid(`${ctx} "${k}" must be at most ${opts.max} characters.`);
  }
  if (/[\u0000-\u001f\u007f]/.test(v)) throw invalid(`${ctx} "${k}" must not contain control characters.`);
  return v;
}

/** A JSON integer in [0, max]. (PHP rejects 1.0; JSON.parse cannot tell 1.0 from 1, so only fractions are refused.) */
export function int(
  p: Payload,
  ctx: string,
  names: string[],
  opts: { required?: boolean; max?: number } = {},
): number | undefined {
  const [k, v] = pick(p, names);
  if (v === undefined || v === null) {
    if (opts.required) throw invalid(`${ctx} "${k}" is required.`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid(`${ctx} "${k}" must be an integer.`);
  const max = opts.max ?? 2147483647;
  if (v < 0 || v > max) throw invalid(`${ctx} "${k}" must be between 0 and ${max}.`);
  return v;
}

/**
 * A list of strings (a JSON object is accepted too: its values are used, as PHP does).
 * Bounded: at most `maxItems` entries are kept; entries longer than `maxLen` or empty are dropped.
 */
export function strList(
  p: Payload,
  ctx: string,
  names: string[],
  maxItems: number,
  maxLen = 255,
): string[] | undefined {
  const [k, v] = pick(p, names);
  if (v === undefined || v === null) return undefined;
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'object') items = Object.values(v as object);
  else throw invalid(`${ctx} "${k}" must be a list of strings.`);
  const out: string[] = [];
  for (const it of items) {
    if (typeof it !== 'string') throw invalid(`${ctx} "${k}" must contain only strings.`);
    const t = it.trim();
    if (!t || t.length > maxLen || /[\u0000-\u001f\u007f]/.test(t)) continue;
    if (!out.includes(t)) out.push(t);
    if (out.length >= maxItems) break;
  }
  return out;
}

/** `Accept-Phlix-Protocol` must name v1 (a comma-separated list is allowed). */
export function assertProtocol(header: string | string[] | undefined): void {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ok = raw.split(',').some((t) => t.trim().toLowerCase() === 'v1');
  if (!ok) {
    throw new HubError(
      'hub.protocol_unsupported',
      'This hub speaks Phlix protocol v1: send the header "Accept-Phlix-Protocol: v1"',
    );
  }
}

export function parseJsonList(s: string | null | undefined): string[] {
  if (!s) return [];
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
