#!/usr/bin/env node
import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config/config.js';

loadDotenv({ quiet: true });
process.env.HUB_LOG_LEVEL ??= 'warn';
// `migrate` must apply migrations even where the server's start-up run is turned off.
if (process.argv[2] === 'migrate') process.env.DB_RUN_MIGRATIONS = 'true';
try {
  loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`phlix-hub: configuration error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

const { CommandFactory } = await import('nest-commander');
const { CliModule } = await import('./cli/cli.module.js');
const { CliExit } = await import('./cli/cli-io.js');
try {
  await CommandFactory.run(CliModule, {
    logger: false,
    errorHandler: (err) => {
      if (!(err instanceof CliExit)) {
        const e = err as { code?: string; message: string };
        if (e.code !== 'commander.helpDisplayed' && e.code !== 'commander.version' && e.code !== 'commander.help') process.stderr.write(`phlix-hub: ${e.message}\n`);
        process.exitCode = process.exitCode || (e.code === 'commander.helpDisplayed' ? 0 : 2);
      }
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
