import type { Tunnel } from './tunnel.js';

/** One HTTP exchange (or, later, raw channel) riding on a tunnel. */
export interface TunnelStream {
  readonly userId: string;
  readonly serverId: string;
  /** an HTTP_RESPONSE payload (HEAD/BODY/END chunk) for this request id */
  onResponsePayload(payload: Buffer): void;
  /** the data of a BODY chunk as the pieces it arrived in (without it, onResponsePayload gets the chunk) */
  onResponseBody?(pieces: Buffer[], length: number): void;
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
  /** relayed for another replica (cluster mode): access and timeouts are judged where it came in */
  readonly forwarded?: boolean;
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

/**
 * What a relayed stream needs from whatever carries it to the server: a local Tunnel, or (cluster
 * mode) a RemoteTunnel that reaches the replica holding the server's tunnel (src/relay/peer).
 */
export interface StreamCarrier {
  readonly serverId: string | null;
  readonly state: 'pending' | 'active' | 'draining' | 'closed';
  /** the agent grants request-body credit (credit protocol); false = plain protocol */
  readonly creditMode: boolean;
  /** request-body credit window the agent granted (credit mode), else null */
  readonly requestCredit: number | null;
  /** response-body credit the hub grants per stream up front (credit mode) */
  readonly responseCredit: number;
  /** hub → server bytes are piling up: producers wait with whenDrained() */
  readonly congested: boolean;
  /** streams and channels sharing what a read hold stops */
  readonly riders: number;
  readonly streamCount: number;
  openStream(s: TunnelStream): number;
  endStream(id: number): void;
  send(type: number, id: number, payload?: Uint8Array): boolean;
  sendCredit(id: number, bytes: number): void;
  holdReads(): void;
  releaseReads(): void;
  whenDrained(cb: () => void): void;
  later(ms: number, fn: () => void): void;
  forEachStream(fn: (s: TunnelStream, id: number) => void): void;
}

/**
 * One end of a raw client channel as the channel table sees it: a client WebSocket on this replica
 * (src/relay/client), or (cluster mode) a channel another replica forwards to a tunnel held here.
 */
export interface ChannelEnd {
  id: number;
  readonly tunnel: StreamCarrier;
  readonly userId: string;
  readonly serverId: string;
  /** the relay token behind the channel ('' when its ingress keeps track of that) */
  readonly tokenId: string;
  readonly ended: boolean;
  /** the table gave it this channel id: start */
  open(id: number): void;
  onServerData(payload: Buffer): void;
  onServerClose(): void;
  onTunnelClosed(): void;
  /** end from the hub side: tell the server and the client */
  kill(code: number, reason: string): void;
}

/** Where channel ends get their id and the server's channel frames (ChannelHub). */
export interface ChannelDesk {
  attach(ch: ChannelEnd): number;
  forget(ch: ChannelEnd): void;
  onChannelData(t: StreamCarrier, channelId: number, payload: Buffer): void;
  onChannelClose(t: StreamCarrier, channelId: number, payload: Buffer): void;
  onTunnelClosed(t: StreamCarrier): void;
}
