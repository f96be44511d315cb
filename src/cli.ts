#!/usr/bin/env node
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config/config.js';

/**
 * `phlix-hub <command>` (package bin → dist/cli.js). Reads the same environment (and .env) as the
 * server. Exit codes: 0 ok, 1 the command failed, 2 bad usage or configuration.
 */
loadDotenv({ quiet: true });
// The agent runs on the media server's machine: it needs no hub database, keys or Nest graph.
if (process.argv[2] === 'agent') {
  const { agentMain } = await import('./agent/agent-cli.js');
  let code = 2;
  try {
    code = await agentMain(process.argv.slice(3));
  } catch (e) {
    process.stderr.write(`phlix-hub agent: ${(e as Error).message}\n`);
  }
  process.exit(code);
}
process.env.HUB_LOG_LEVEL ??= 'warn';
// `migrate` must apply migrations even where the server's start-up run is turned off.
if (process.argv[2] === 'migrate') process.env.DB_RUN_MIGRATIONS = 'true';
// commander names the program after argv[1]: show "phlix-hub", also for `node dist/cli.js`
if (process.argv[1] && basename(process.argv[1]).startsWith('cli.')) {
  process.argv[1] = join(dirname(process.argv[1]), 'phlix-hub');
}
try {
  loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`phlix-hub: configuration error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

const { CommandFactory } = await import('nest-commander');
const { CliModule } = await import('./cli/cli.module.js');
const { CliExit } = await import('./cli/cli-io.js');
try {
  await CommandFactory.run(CliModule, {
    logger: false,
    version: version(),
    // Usage errors: commander has already printed its message ("error: unknown command …").
    errorHandler: (err) => {
      if (err instanceof CliExit) return;
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('commander.')) process.stderr.write(`phlix-hub: ${err.message}\n`);
      process.exit(['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(code) ? 0 : 2);
    },
    serviceErrorHandler: (err) => {
      if (!(err instanceof CliExit)) {
        process.stderr.write(`phlix-hub: ${(err as Error).message}\n`);
        process.exitCode = process.exitCode || 1;
      }
    },
  });
} catch (e) {
  if (!(e instanceof CliExit)) {
    process.stderr.write(`phlix-hub: ${(e as Error).message}\n`);
    process.exitCode = process.exitCode || 1;
  }
}
