import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Write `text` to `file` readable only by its owner (0600), atomically: a fresh temp file
 * (a leftover one could carry wider permissions), fsync, then rename over the target.
 * Used for the hub's signing keys, the agent's state and CLI exports.
 */
export function writePrivateFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
