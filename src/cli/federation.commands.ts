import { Command, CommandRunner, Option } from 'nest-commander';
import { readFileSync } from 'node:fs';
import { HubError } from '../common/hub-error.js';
import { TrustedHubsService } from '../federation/trusted-hubs.service.js';
import { UserTransferService } from '../federation/transfer/user-transfer.service.js';
import { ServerExportService } from '../federation/transfer/server-export.service.js';
import { ShareTransferService } from '../federation/transfer/share-transfer.service.js';
import { TransferError } from '../federation/transfer/export-format.js';
import type { ImportReport } from '../federation/transfer/export-format.js';
import { fail, out, writePrivate } from './cli-io.js';

interface ExportOpts {
  all?: boolean;
  format?: string;
  out?: string;
}
interface ImportOpts {
  hub?: string;
  file?: string;
  filterRegion?: string;
  dryRun?: boolean;
}
interface TrustOpts {
  hubId?: string;
  name?: string;
  url?: string;
  jwksFile?: string;
}

/** Turn service errors into one clear CLI line (exit 1); nothing else leaks. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TransferError) fail(e.message, 1);
    if (e instanceof HubError) fail(`${(e.getResponse() as { error: string }).error} (${e.code})`, 1);
    throw e;
  }
}

function emit(o: ExportOpts, data: unknown): void {
  const text = JSON.stringify(data, null, 2) + '\n';
  if (o.out) {
    writePrivate(o.out, text);
    out(JSON.stringify({ written: o.out, mode: '0600', count: (data as { count: number }).count }));
  } else {
    process.stdout.write(text);
    if (!process.stdout.isTTY) {
      process.stderr.write(
        'phlix-hub: note: exports hold account data (user:export: password hashes); prefer --out FILE, written with mode 0600\n',
      );
    }
  }
}

abstract class ExportCommand extends CommandRunner {
  protected abstract produce(): Promise<unknown>;
  async run(_p: string[], o: ExportOpts): Promise<void> {
    if (!o.all) fail('--all is required (every record is exported; filter at import time)', 2);
    if ((o.format ?? 'json') !== 'json') fail('--format must be json', 2);
    emit(o, await guarded(() => this.produce()));
  }
  @Option({ flags: '--all', description: 'export every record' }) parseAll() {
    return true;
  }
  @Option({ flags: '--format <format>', description: 'json (the only format)' }) parseFormat(v: string) {
    return v;
  }
  @Option({ flags: '--out <file>', description: 'write to FILE with mode 0600 instead of stdout' }) parseOut(
    v: string,
  ) {
    return v;
  }
}

@Command({
  name: 'user:export',
  description: 'Export user accounts (argon2id hashes included) for import into another hub',
})
export class UserExportCommand extends ExportCommand {
  constructor(private readonly svc: UserTransferService) {
    super();
  }
  protected produce() {
    return this.svc.exportAll();
  }
}

@Command({
  name: 'server:export',
  description: 'Export claimed servers and their owners (servers re-claim on the new hub; not importable)',
})
export class ServerExportCommand extends ExportCommand {
  constructor(private readonly svc: ServerExportService) {
    super();
  }
  protected produce() {
    return this.svc.exportAll();
  }
}

@Command({ name: 'share:export', description: 'Export live library shares for import into another hub' })
export class ShareExportCommand extends ExportCommand {
  constructor(private readonly svc: ShareTransferService) {
    super();
  }
  protected produce() {
    return this.svc.exportAll();
  }
}

function printReport(r: ImportReport): void {
  out(JSON.stringify(r));
  process.stderr.write(
    `${r.dry_run ? '[dry run, nothing written] ' : ''}${r.kind}: ${r.created} created, ${r.skipped} skipped, ${r.rejected} rejected (of ${r.total})\n`,
  );
  for (const d of r.details) process.stderr.write(`  ${d.outcome}: ${d.record}: ${d.reason}\n`);
}

function importArgs(o: ImportOpts): { hub: string; file: string } {
  if (!o.hub) fail("--hub is required (this hub's HUB_ID, as a guard against importing into the wrong hub)", 2);
  if (!o.file) fail('--file is required', 2);
  return { hub: o.hub!, file: o.file! };
}

@Command({
  name: 'user:import',
  description: 'Import users from a user:export file (idempotent; validates first; one transaction)',
})
export class UserImportCommand extends CommandRunner {
  constructor(private readonly svc: UserTransferService) {
    super();
  }
  async run(_p: string[], o: ImportOpts): Promise<void> {
    const { hub, file } = importArgs(o);
    printReport(
      await guarded(() => this.svc.importFile(file, { hub, filterRegion: o.filterRegion, dryRun: !!o.dryRun })),
    );
  }
  @Option({ flags: '--hub <hubId>', description: "this hub's HUB_ID (refused otherwise)" }) parseHub(v: string) {
    return v;
  }
  @Option({ flags: '--file <file>', description: 'the user:export file' }) parseFile(v: string) {
    return v;
  }
  @Option({ flags: '--filter-region <region>', description: 'only users whose region is REGION' }) parseRegion(
    v: string,
  ) {
    return v;
  }
  @Option({ flags: '--dry-run', description: 'report what would happen; write nothing' }) parseDry() {
    return true;
  }
}

@Command({
  name: 'share:import',
  description: "Import shares from a share:export file (after user:import and the servers' re-claim)",
})
export class ShareImportCommand extends CommandRunner {
  constructor(private readonly svc: ShareTransferService) {
    super();
  }
  async run(_p: string[], o: ImportOpts): Promise<void> {
    const { hub, file } = importArgs(o);
    printReport(await guarded(() => this.svc.importFile(file, { hub, dryRun: !!o.dryRun })));
  }
  @Option({ flags: '--hub <hubId>', description: "this hub's HUB_ID (refused otherwise)" }) parseHub(v: string) {
    return v;
  }
  @Option({ flags: '--file <file>', description: 'the share:export file' }) parseFile(v: string) {
    return v;
  }
  @Option({ flags: '--dry-run', description: 'report what would happen; write nothing' }) parseDry() {
    return true;
  }
}

@Command({
  name: 'peer:trust',
  description: 'Trust a peer hub for manual account linking (adds it, or updates its name/url/keys)',
})
export class PeerTrustCommand extends CommandRunner {
  constructor(private readonly svc: TrustedHubsService) {
    super();
  }
  async run(_p: string[], o: TrustOpts): Promise<void> {
    if (!o.hubId) fail("--hub-id is required (the peer's HUB_ID)", 2);
    if (!o.name) fail('--name is required', 2);
    if (!o.url) fail("--url is required (the peer's public URL)", 2);
    if (!o.jwksFile) fail("--jwks-file is required (the peer's /.well-known/jwks.json, saved)", 2);
    let jwks: string;
    try {
      jwks = readFileSync(o.jwksFile!, 'utf8');
    } catch (e) {
      fail(`cannot read ${o.jwksFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1);
    }
    const actor = { actorType: 'cli' as const };
    const result = await guarded(async () => {
      const existing = await this.svc.findByHubId(o.hubId!);
      if (existing) {
        return {
          action: 'updated',
          peer: await this.svc.update(actor, existing.id, { name: o.name, url: o.url, jwks }),
        };
      }
      return {
        action: 'created',
        peer: await this.svc.create(actor, { hub_id: o.hubId, name: o.name, url: o.url, jwks }),
      };
    });
    out(JSON.stringify(result));
  }
  @Option({ flags: '--hub-id <hubId>' }) parseHubId(v: string) {
    return v;
  }
  @Option({ flags: '--name <name>' }) parseName(v: string) {
    return v;
  }
  @Option({ flags: '--url <url>' }) parseUrl(v: string) {
    return v;
  }
  @Option({ flags: '--jwks-file <file>' }) parseJwks(v: string) {
    return v;
  }
}

export const FEDERATION_COMMANDS = [
  UserExportCommand,
  ServerExportCommand,
  ShareExportCommand,
  UserImportCommand,
  ShareImportCommand,
  PeerTrustCommand,
];
