import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config/config.js';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let cfg;
  try {
    cfg = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`phlix-hub: configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const { createHubApp } = await import('./bootstrap.js');
  const app = await createHubApp(cfg);
  await app.listen(cfg.port, cfg.host);
  process.stdout.write(JSON.stringify({ level: 30, msg: `phlix-hub ${cfg.hubId} listening on ${cfg.host}:${cfg.port}`, public_url: cfg.publicUrl }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`phlix-hub: failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
