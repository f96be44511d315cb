// Run npm inside web/ with the same npm that runs the root script (no shell, no stdin).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB = join(dirname(fileURLToPath(import.meta.url)), '..');

export function npm(args) {
  const execpath = process.env.npm_execpath;
  const [cmd, argv] =
    execpath && /\.[cm]?js$/.test(execpath)
      ? [process.execPath, [execpath, ...args]]
      : [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
  // --prefix: a root lifecycle's npm_config_* environment must not point the install at the root
  const r = spawnSync(cmd, [...argv, '--prefix', WEB], { cwd: WEB, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write(`web: npm ${args.join(' ')} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}
