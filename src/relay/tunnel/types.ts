import type { Tunnel } from './tunnel.js';

/** One HTTP exchange (or, later, raw channel) riding on a tunnel. */
export interface TunnelStream {
  readonly userId: string;
  readonly serverId: string;
  /** an HTTP_RESPONSE payload (HEAD/BODY/END chunk) for this request id */
  onResponsePayload(payload: Buffer): void;
  /** request-body credit granted by the agent (credit mode only) */
  onCredit(bytes: number): void;
  /** the server sent HTTP_CANCEL for this id */
  onServerCancel(): void;
  /** the tunnel is gone; fail or abort */
  onTunnelClosed(reason: string): void;
  /** end the stream now (access revoked, limits, shutdown) */
  terminate(reason: string): void;
  /** timeouts; called about once a second */
  tick(nowMs: number): void;
}

/** What a tunnel needs from the registry that owns it. */
export interface TunnelHost {
  now(): number;
  onHello(t: Tunnel, text: Buffer): void;
  onClosed(t: Tunnel, reason: string): void;
  /** DATA on a client channel (raw client channels, src/relay/client) */
  onChannelData?(t: Tunnel, channelId: number, payload: Buffer): void;
  /** CLIENT_DISCONNECT from the server side: it closed that client channel */
  onChannelClose?(t: Tunnel, channelId: number, payload: Buffer): void;
}
