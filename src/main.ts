import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, HubConfig, loadConfig } from './config/config.js';

const LEVEL_NAMES: Record<number, string> = { 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Start-up and shutdown lines (written before the app logger exists or after it closed): JSON, or readable on a terminal. */
const log = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(
    process.stdout.isTTY
      ? `[${new Date().toTimeString().slice(0, 8)}] ${LEVEL_NAMES[level] ?? level}: ${msg}${Object.entries(extra)
          .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
          .join('')}\n`
      : JSON.stringify({ level, time: Date.now(), svc: 'phlix-hub', msg, ...extra }) + '\n',
  );

/** reason given to agents whose tunnel we close at shutdown (relay vocabulary: WS close 1001, the agent reconnects) */
const SHUTDOWN_TUNNEL_REASON = 'server_shutdown';
/** short API requests (they carry writes) may outlive the stream drain by this much */
const API_GRACE_MS = 5_000;

/**
 * Graceful stop on SIGTERM/SIGINT:
 *  1. stop accepting (listener closed; requests on kept-alive sockets get 503 + Connection: close);
 *  2. let in-flight API requests finish and relay streams drain, up to HUB_SHUTDOWN_DRAIN_MS;
 *  3. close every open tunnel with reason `server_shutdown` (agents reconnect, to us or a sibling);
 *  4. drop what is left, run Nest's shutdown (module hooks, database closed after pending work), exit 0.
 * A second signal, or a shutdown stuck past drain + 30 s, exits 1.
 */
function installGracefulShutdown(
  app: NestFastifyApplication,
  cfg: HubConfig,
  deps: {
    inFlight: () => { api: number; stream: number };
    presence: {
      activeStreams(): number;
      isActive(id: string): boolean;
      closeTunnel(id: string, reason: string): Promise<void>;
    };
    activeServerIds: () => Promise<string[]>;
  },
): void {
  let draining = false;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (_req, reply, done) => {
    if (!draining) return done();
    reply
      .header('Connection', 'close')
      .header('Retry-After', '5')
      .code(503)
      .send({ error: 'The hub is shutting down', code: 'service.unavailable' });
  });
  // Nest's own signal handlers re-raise the signal after closing (exit by signal, not 0): ours replace them.
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(sig);

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const run = async (signal: string) => {
    const t0 = Date.now();
    draining = true;
    log(30, 'shutdown: draining', { signal, drain_ms: cfg.http.shutdownDrainMs });
    setTimeout(
      () => {
        log(50, 'shutdown: stuck, forcing exit');
        process.exit(1);
      },
      cfg.http.shutdownDrainMs + API_GRACE_MS + 30_000,
    ).unref();
    const server = app.getHttpServer();
    server.close();
    server.closeIdleConnections?.();
    const streamDeadline = t0 + cfg.http.shutdownDrainMs;
    const apiDeadline = streamDeadline + API_GRACE_MS;
    for (;;) {
      const f = deps.inFlight();
      const streams = Math.max(f.stream, deps.presence.activeStreams());
      const now = Date.now();
      if ((f.api === 0 || now >= apiDeadline) && (streams === 0 || now >= streamDeadline)) break;
      server.closeIdleConnections?.();
      await sleep(25);
    }
    const left = deps.inFlight();
    let ids: string[] = [];
    try {
      ids = (await deps.activeServerIds()).filter((id) => deps.presence.isActive(id));
      await Promise.all(ids.map((id) => deps.presence.closeTunnel(id, SHUTDOWN_TUNNEL_REASON).catch(() => undefined)));
    } catch (e) {
      log(40, `shutdown: closing tunnels failed: ${(e as Error).message}`);
    }
    server.closeAllConnections?.();
    log(30, 'shutdown: drained', {
      ms: Date.now() - t0,
      tunnels_closed: ids.length,
      api_left: left.api,
      streams_left: Math.max(left.stream, deps.presence.activeStreams()),
    });
    await app.close();
    log(30, 'shutdown: complete', { ms: Date.now() - t0 });
    process.exit(0);
  };
  let started = false;
  const onSignal = (signal: string) => {
    if (started) {
      log(40, 'shutdown: second signal, exiting now', { signal });
      process.exit(1);
    }
    started = true;
    run(signal).catch((e) => {
      log(50, `shutdown failed: ${(e as Error).message}`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

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
  const { MetricsService } = await import('./metrics/metrics.service.js');
  const { RelayPresence } = await import('./common/relay-presence.js');
  const { ServerStats } = await import('./common/ports/server-stats.port.js');
  const app = await createHubApp(cfg);
  const metrics = app.get(MetricsService, { strict: false });
  const serverStats = app.get(ServerStats, { strict: false });
  installGracefulShutdown(app, cfg, {
    inFlight: () => metrics.inFlight(),
    presence: app.get(RelayPresence, { strict: false }),
    activeServerIds: () => serverStats.claimedServerIds(),
  });
  await app.listen(cfg.http.port, cfg.http.host);
  process.stdout.write(
    JSON.stringify({
      level: 30,
      msg: `phlix-hub ${cfg.hub.id} listening on ${cfg.http.host}:${cfg.http.port}`,
      public_url: cfg.http.publicUrl,
    }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`phlix-hub: failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
