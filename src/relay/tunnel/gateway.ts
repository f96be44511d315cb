import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { HubConfig } from '../../config/config.js';
import { RateLimitService } from '../../common/rate-limit.service.js';
import { resolveClientIp } from '../../common/client-ip.js';
import { applyIdleTimeout, guardUpgrade, shortRequestServerOptions } from '../../common/http-timeouts.js';
import { clientErrorHandler } from '../../common/http-hardening.js';
import { HUB_DRAINING, HUB_DRAINING_CODE, TunnelRegistry } from './registry.js';
import { MAX_WS_MESSAGE } from './tunnel.js';

/** Path of the tunnel endpoint on the main HTTP port. */
export const TUNNEL_PATH = '/api/v1/relay/tunnel';
export { MAX_WS_MESSAGE };

/** A WebSocket endpoint on the main port (the tunnel; later e.g. raw client channels). */
export interface UpgradeRoute {
  match(pathname: string): boolean;
  handle(req: IncomingMessage, socket: Socket, head: Buffer, ip: string): void | Promise<void>;
}

function pathnameOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

function reject(socket: Socket, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Where tunnels come in: WebSocket upgrades on the main HTTP server at /api/v1/relay/tunnel and,
 * for Phlix servers, on HUB_RELAY_PORT (any path, usually the bare root). Connect attempts are
 * rate limited per IP before anything is read (over the limit: accept, then close 1013); while the
 * hub drains for shutdown they are accepted and closed at once with 1012 `hub_draining`.
 * Nothing here runs in the CLI (no HTTP adapter) and the relay port binds only once the main
 * server listens.
 */
@Injectable()
export class RelayGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('RelayGateway');
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_WS_MESSAGE,
    clientTracking: false,
  });
  private readonly routes: UpgradeRoute[] = [];
  private relayServer?: Server;
  private mainServer?: Server;
  private readonly onMainUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) =>
    this.dispatch(req, socket, head, true);

  constructor(
    private readonly cfg: HubConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly rateLimit: RateLimitService,
    private readonly registry: TunnelRegistry,
  ) {
    this.addRoute({
      match: (p) => p === TUNNEL_PATH || p === `${TUNNEL_PATH}/`,
      handle: (req, socket, head, ip) => this.acceptTunnel(req, socket, head, ip),
    });
  }

  /** Register another WebSocket endpoint on the main port (first match wins). */
  addRoute(route: UpgradeRoute): void {
    this.routes.push(route);
  }

  async onApplicationBootstrap(): Promise<void> {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // CLI / application context: no listeners, no timers
    const server = adapter.getHttpServer() as Server | undefined;
    if (!server) return;
    this.mainServer = server;
    server.on('upgrade', this.onMainUpgrade);
    await this.registry.start();
    if (this.cfg.relay.portEnabled) {
      if (server.listening) this.startRelayPort();
      else server.once('listening', () => this.startRelayPort());
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.mainServer?.off('upgrade', this.onMainUpgrade);
    const s = this.relayServer;
    this.relayServer = undefined;
    if (s) await new Promise<void>((res) => s.close(() => res()));
  }

  /** Address of the dedicated relay listener (tests bind it to port 0). */
  relayPortAddress(): AddressInfo | null {
    const a = this.relayServer?.address();
    return a && typeof a === 'object' ? a : null;
  }

  private startRelayPort(): void {
    if (this.relayServer) return;
    const s = createServer(shortRequestServerOptions(this.cfg), (req, res) => {
      res.writeHead(426, {
        'content-type': 'application/json; charset=utf-8',
        upgrade: 'websocket',
        connection: 'Upgrade',
      });
      res.end(
        JSON.stringify({ error: 'This port only accepts relay WebSocket tunnels', code: 'relay.upgrade_required' }),
      );
      req.resume();
    });
    s.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.dispatch(req, socket, head, false));
    applyIdleTimeout(s, this.cfg);
    s.on('clientError', clientErrorHandler);
    s.on('error', (e) =>
      this.log.error(`relay listener on ${this.cfg.http.host}:${this.cfg.relay.port} failed: ${e.message}`),
    );
    s.listen(this.cfg.relay.port, this.cfg.http.host, () => {
      const a = s.address() as AddressInfo;
      this.log.log(`relay tunnels on ${a.address}:${a.port}`);
    });
    this.relayServer = s;
  }

  private clientIp(req: IncomingMessage, viaMain: boolean): string {
    // HUB_TRUST_PROXY applies to the main port only (the relay port is dialled directly)
    const trust = viaMain
      ? { hops: this.cfg.http.trustProxyHops, addrs: this.cfg.http.trustProxyAddrs }
      : { hops: 0, addrs: [] };
    return resolveClientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trust);
  }

  private dispatch(req: IncomingMessage, socket: Socket, head: Buffer, viaMain: boolean): void {
    socket.on('error', () => socket.destroy());
    guardUpgrade(socket, this.cfg);
    const ip = this.clientIp(req, viaMain);
    if (!viaMain) return void this.acceptTunnel(req, socket, head, ip);
    const path = pathnameOf(req.url);
    const route = this.routes.find((r) => r.match(path));
    if (route) {
      void Promise.resolve(route.handle(req, socket, head, ip)).catch((e) => {
        this.log.error(`upgrade ${path}: ${(e as Error).message}`);
        socket.destroy();
      });
      return;
    }
    // someone else may serve this upgrade; answer only when we are the only listener
    if (this.mainServer && this.mainServer.listenerCount('upgrade') <= 1) reject(socket, 404, 'Not Found');
  }

  private async acceptTunnel(req: IncomingMessage, socket: Socket, head: Buffer, ip: string): Promise<void> {
    let limited = false;
    try {
      const { count } = await this.rateLimit.hit(`relay_connect:${ip}`, 60);
      limited = count > this.cfg.relay.connectsPerIpPerMinute;
    } catch (e) {
      this.log.error(`connect limiter failed: ${(e as Error).message}`);
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (limited) return ws.close(1013, 'rate_limited');
      // shutting down: the tunnel belongs on a sibling replica (the agent retries through the load balancer)
      if (this.registry.draining) return ws.close(HUB_DRAINING_CODE, HUB_DRAINING);
      this.registry.accept(ws, req, ip);
    });
  }
}
