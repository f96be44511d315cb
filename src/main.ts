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

/** short API requests (they carry writes) may outlive the stream drain by this much */
const API_GRACE_MS = 5_000;

/**
 * Graceful stop on SIGTERM/SIGINT:
 *  1. stop accepting (listener closed; requests on kept-alive sockets get 503 + Connection: close;
 *     new tunnels are refused with 1012 `hub_draining`);
 *  2. tell every tunnel DISCONNECTED `hub_draining` (our agent opens its next tunnel at once, through
 *     the load balancer, to a sibling) and close each with 1012 `hub_draining` once it carries no stream;
 *  3. let in-flight API requests finish and relay streams drain, up to HUB_SHUTDOWN_DRAIN_MS;
 *  4. close the tunnels still open (1012 `hub_draining`), drop what is left, run Nest's shutdown
 *     (module hooks, database closed after pending work), exit 0.
 * A second signal, or a shutdown stuck past drain + 30 s, exits 1.
 */
function installGracefulShutdown(
  app: NestFastifyApplication,
  cfg: HubConfig,
  deps: {
    inFlight: () => { api: number; stream: number };
    tunnels: {
      activeStreams(): number;
      drain(untilMs: number): void;
      finishDrain(): Promise<number>;
    };
    /** cluster mode: this replica's row in hub_nodes (state `draining` until it stops) */
    node: { markDraining(): Promise<void> };
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
    deps.tunnels.drain(streamDeadline);
    void deps.node.markDraining().catch(() => undefined);
    const apiDeadline = streamDeadline + API_GRACE_MS;
    for (;;) {
      const f = deps.inFlight();
      const streams = Math.max(f.stream, deps.tunnels.activeStreams());
      const now = Date.now();
      if ((f.api === 0 || now >= apiDeadline) && (streams === 0 || now >= streamDeadline)) break;
      server.closeIdleConnections?.();
      await sleep(25);
    }
    const left = deps.inFlight();
    const streamsLeft = Math.max(left.stream, deps.tunnels.activeStreams());
    let tunnelsClosed = 0;
    try {
      tunnelsClosed = await deps.tunnels.finishDrain();
    } catch (e) {
      log(40, `shutdown: closing tunnels failed: ${(e as Error).message}`);
    }
    server.closeAllConnections?.();
    log(30, 'shutdown: drained', {
      ms: Date.now() - t0,
      tunnels_closed: tunnelsClosed,
      api_left: left.api,
      streams_left: streamsLeft,
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
  const { TunnelRegistry } = await import('./relay/tunnel/registry.js');
  const { NodeRegistry } = await import('./cluster/node-registry.js');
  const app = await createHubApp(cfg);
  const metrics = app.get(MetricsService, { strict: false });
  installGracefulShutdown(app, cfg, {
    inFlight: () => metrics.inFlight(),
    tunnels: app.get(TunnelRegistry, { strict: false }),
    node: app.get(NodeRegistry, { strict: false }),
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
