import { writePrivateFileAtomic } from '../common/private-file.js';

/** Output helpers shared by commands. Errors go to stderr with a non-zero exit code. */
export function out(line: string): void {
  process.stdout.write(line + '\n');
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`phlix-hub: ${message}\n`);
  process.exitCode = code;
  throw new CliExit(message);
}

export class CliExit extends Error {}

/** Write a file readable only by its owner (exports carry password hashes). */
export function writePrivate(path: string, data: string): void {
  writePrivateFileAtomic(path, data);
}
