import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HubConfig } from '../config/config.js';

/** Node http.Server timeouts (ms) from HUB_HTTP_* for both listeners. */
export function nodeServerTimeouts(cfg: HubConfig) {
  return {
    headersTimeout: cfg.http.headersTimeoutMs,
    requestTimeout: Math.max(cfg.http.headersTimeoutMs, cfg.http.requestTimeoutMs),
    idleTimeout: cfg.http.idleTimeoutMs,
    keepAliveTimeout: cfg.http.keepAliveTimeoutMs,
    // Node checks header/request deadlines on this interval (its default, 30 s, would let them overrun)
    connectionsCheckingInterval: Math.max(250, Math.min(1000, Math.floor(cfg.http.headersTimeoutMs / 2))),
  };
}

/** Options for http.createServer of a listener that only serves short requests (the relay port). */
export function shortRequestServerOptions(cfg: HubConfig) {
  const t = nodeServerTimeouts(cfg);
  return {
    headersTimeout: t.headersTimeout,
    requestTimeout: t.requestTimeout,
    keepAliveTimeout: t.keepAliveTimeout,
    connectionsCheckingInterval: t.connectionsCheckingInterval,
  };
}

/** Idle timeout on every socket of a listener (sockets that connect and send nothing are closed). */
export function applyIdleTimeout(server: Server, cfg: HubConfig): void {
  server.setTimeout(cfg.http.idleTimeoutMs);
}

/**
 * A WebSocket upgrade must complete within HUB_WS_HANDSHAKE_TIMEOUT: the socket is destroyed unless
 * the upgrade finishes first (ws clears the socket timeout when it takes the socket over).
 */
export function guardUpgrade(socket: Socket, cfg: HubConfig): void {
  socket.setTimeout(cfg.http.wsHandshakeTimeoutMs, () => socket.destroy());
}
