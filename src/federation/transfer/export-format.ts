import { readFileSync, statSync } from 'node:fs';

/** Envelope of every export file (users, servers, shares). */
export const EXPORT_FORMAT = 'phlix-hub-export';
export const EXPORT_VERSION = 1;
export type ExportKind = 'users' | 'servers' | 'shares';

/** Import limits: a file larger than this is refused before it is read. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
export const MAX_IMPORT_RECORDS = 100_000;
/** at most this many problems are listed in one error */
const MAX_LISTED = 20;

export interface ExportEnvelope<T> {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  kind: ExportKind;
  source_hub_id: string;
  exported_at: string;
  count: number;
  items: T[];
}

export interface ImportOptions {
  /** must equal this hub's HUB_ID */
  hub: string;
  filterRegion?: string;
  dryRun?: boolean;
}

export interface ImportReport {
  kind: ExportKind;
  hub: string;
  dry_run: boolean;
  total: number;
  created: number;
  skipped: number;
  rejected: number;
  /** one line per record not created, with the reason */
  details: { record: string; outcome: 'skipped' | 'rejected'; reason: string }[];
}

/** A file or option the operator must fix; nothing was written. */
export class TransferError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(
      problems.length
        ? `${message}:\n  - ${problems.slice(0, MAX_LISTED).join('\n  - ')}${problems.length > MAX_LISTED ? `\n  - … and ${problems.length - MAX_LISTED} more` : ''}`
        : message,
    );
  }
}

export function envelope<T>(kind: ExportKind, sourceHubId: string, now: number, items: T[]): ExportEnvelope<T> {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    kind,
    source_hub_id: sourceHubId,
    exported_at: new Date(now).toISOString(),
    count: items.length,
    items,
  };
}

/** Read an import file: size checked before reading, then parsed as JSON. */
export function readImportFile(path: string): unknown {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new TransferError(`${path} is not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof TransferError) throw e;
    throw new TransferError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (size > MAX_IMPORT_BYTES) {
    throw new TransferError(`${path} is too large (${size} bytes; the limit is ${MAX_IMPORT_BYTES})`);
  }
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TransferError(`${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** Check the envelope and return its items (still unvalidated). */
export function itemsOf(doc: unknown, kind: ExportKind): unknown[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new TransferError('the file is not a Phlix Hub export (expected a JSON object)');
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== EXPORT_FORMAT) {
    throw new TransferError(`the file is not a Phlix Hub export (format must be "${EXPORT_FORMAT}")`);
  }
  if (d.version !== EXPORT_VERSION) {
    throw new TransferError(
      `unsupported export version ${JSON.stringify(d.version)} (this hub reads version ${EXPORT_VERSION})`,
    );
  }
  if (d.kind !== kind) {
    throw new TransferError(`the file holds ${JSON.stringify(d.kind)}, not ${kind} (use the matching import command)`);
  }
  if (!Array.isArray(d.items)) throw new TransferError('the file has no "items" array');
  if (d.items.length > MAX_IMPORT_RECORDS) {
    throw new TransferError(`the file holds ${d.items.length} records; the limit is ${MAX_IMPORT_RECORDS} per file`);
  }
  if (typeof d.count === 'number' && d.count !== d.items.length) {
    throw new TransferError(
      `the file is truncated or edited: count is ${d.count} but it holds ${d.items.length} records`,
    );
  }
  return d.items;
}

/** Collects field problems of one record: `where.field: message`. */
export class FieldChecker {
  readonly problems: string[] = [];

  constructor(
    private readonly where: string,
    private readonly o: Record<string, unknown>,
  ) {}

  private add(field: string, msg: string): void {
    this.problems.push(`${this.where}.${field}: ${msg}`);
  }

  str(
    field: string,
    opts: { max: number; min?: number; nullable?: boolean; re?: RegExp; what?: string },
  ): string | null {
    const v = this.o[field];
    if (v === undefined) {
      this.add(field, 'missing');
      return null;
    }
    if (v === null) {
      if (!opts.nullable) this.add(field, 'must not be null');
      return null;
    }
    if (typeof v !== 'string') {
      this.add(field, 'must be a string');
      return null;
    }
    if (v.length < (opts.min ?? 1) || v.length > opts.max) {
      this.add(field, `must be ${opts.min ?? 1}–${opts.max} characters`);
    } else if (opts.re && !opts.re.test(v)) {
      this.add(field, `is not ${opts.what ?? 'valid'}`);
    }
    return v;
  }

  bool(field: string): boolean {
    const v = this.o[field];
    if (typeof v !== 'boolean') this.add(field, v === undefined ? 'missing' : 'must be true or false');
    return v === true;
  }

  /** ISO-8601 date → epoch ms (null allowed when nullable) */
  date(field: string, nullable = false): number | null {
    const v = this.o[field];
    if (v === undefined) {
      this.add(field, 'missing');
      return null;
    }
    if (v === null && nullable) return null;
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    if (!Number.isFinite(ms)) this.add(field, 'must be an ISO-8601 date');
    return Number.isFinite(ms) ? ms : null;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T | null {
    const v = this.o[field];
    if (typeof v !== 'string' || !values.includes(v as T)) {
      this.add(field, v === undefined ? 'missing' : `must be one of ${values.join(', ')}`);
      return null;
    }
    return v as T;
  }

  fail(field: string, msg: string): void {
    this.add(field, msg);
  }
}

/** Records must be objects; returns checkers per record plus problems for non-objects. */
export function recordsOf(items: unknown[], noun: string): { checkers: FieldChecker[]; problems: string[] } {
  const problems: string[] = [];
  const checkers: FieldChecker[] = [];
  items.forEach((it, i) => {
    if (!it || typeof it !== 'object' || Array.isArray(it)) problems.push(`${noun}[${i}]: must be an object`);
    else checkers.push(new FieldChecker(`${noun}[${i}]`, it as Record<string, unknown>));
  });
  return { checkers, problems };
}

/** Report duplicates of a key among records (first two positions listed). */
export function duplicates(keys: (string | null)[], noun: string, what: string): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  keys.forEach((k, i) => {
    if (k === null) return;
    const prev = seen.get(k);
    if (prev !== undefined) out.push(`${noun}[${i}]: duplicate ${what} ${JSON.stringify(k)} (also ${noun}[${prev}])`);
    else seen.set(k, i);
  });
  return out;
}

export function emptyReport(kind: ExportKind, opts: ImportOptions, total: number): ImportReport {
  return { kind, hub: opts.hub, dry_run: !!opts.dryRun, total, created: 0, skipped: 0, rejected: 0, details: [] };
}

export function note(r: ImportReport, record: string, outcome: 'skipped' | 'rejected', reason: string): void {
  r[outcome]++;
  r.details.push({ record, outcome, reason });
}

/** Thrown inside the import transaction to roll a dry run back. */
export class DryRunRollback extends Error {}
