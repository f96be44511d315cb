import { connect, type Socket } from 'node:net';
import { FrameType, MAX_PAYLOAD, encodeFrame } from '../relay/codec/index.js';

/** Most client channels one agent bridges at once (more are refused with CLIENT_DISCONNECT). */
export const MAX_AGENT_CHANNELS = 1024;
/** How long a channel closed by the hub may flush its last bytes to the target. */
const END_GRACE_MS = 5000;

/** Where raw client channels go: one fixed TCP endpoint on the origin side, never a client's choice. */
export interface ChannelTarget {
  host: string;
  port: number;
}

/**
 * `--channel-target`: `host:port` or `tcp://host:port`; 'none' turns channels off. Default: the
 * origin's own host and port (the HTTP(S) media server itself: a client speaks HTTP/1.1, a
 * WebSocket upgrade, or TLS to an https origin end to end, over the raw channel).
 */
export function channelTargetOf(spec: string | undefined, origin: URL): ChannelTarget | null {
  if (spec === 'none') return null;
  if (!spec) {
    return {
      host: origin.hostname.replace(/^\[|\]$/g, ''),
      port: Number(origin.port) || (origin.protocol === 'https:' ? 443 : 80),
    };
  }
  const m = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(spec.trim());
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535) throw new Error(`--channel-target must be host:port (or "none"), got "${spec}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** What the bridge needs from the tunnel it rides on. */
export interface ChannelLink {
  readonly congested: boolean;
  whenDrained(cb: () => void): void;
  sendFrame(frame: Buffer): void;
  holdReads(): void;
  releaseReads(): void;
}

interface Bridged {
  socket: Socket;
  /** tunnel reads held because the target is slow to take our writes */
  holding: boolean;
  closed: boolean;
}

/**
 * The agent's side of raw client channels: CLIENT_CONNECT → a TCP connection to the target,
 * DATA both ways (≤ 64 KiB frames), CLIENT_DISCONNECT both ways (hub → agent: end the
 * connection; target closed → agent → hub). Back-pressure: a target that does not keep up holds
 * the tunnel's reads; a congested tunnel pauses the target socket. CLIENT_CONNECT's JSON is only
 * logged; routing is by channel id.
 */
export class ChannelBridge {
  private readonly channels = new Map<number, Bridged>();

  constructor(
    private readonly link: ChannelLink,
    private readonly target: ChannelTarget | null,
    private readonly log: (m: string) => void,
  ) {}

  get count(): number {
    return this.channels.size;
  }

  onConnect(id: number): void {
    if (id <= 0 || this.channels.has(id)) return; // like a Phlix server: ignore bad and duplicate ids
    if (!this.target || this.channels.size >= MAX_AGENT_CHANNELS) {
      return this.sendDisconnect(id, this.target ? 'too_many_channels' : 'channels_disabled');
    }
    const socket = connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    const ch: Bridged = { socket, holding: false, closed: false };
    this.channels.set(id, ch);
    socket.on('data', (chunk: Buffer) => this.fromTarget(id, ch, chunk));
    socket.on('drain', () => this.release(ch));
    socket.on('error', (e) => this.log(`channel ${id}: ${e.message}`));
    socket.on('close', () => this.targetClosed(id, ch));
  }

  onData(id: number, payload: Buffer): void {
    const ch = this.channels.get(id);
    if (!ch || ch.closed) return; // unknown / finished channel: dropped
    if (!ch.socket.write(payload) && !ch.holding) {
      ch.holding = true;
      this.link.holdReads();
    }
  }

  /** The hub closed the channel (its client left): finish writing, then close. */
  onDisconnect(id: number): void {
    const ch = this.channels.get(id);
    if (!ch) return;
    this.forget(id, ch);
    ch.socket.end();
    setTimeout(() => ch.socket.destroy(), END_GRACE_MS).unref?.();
  }

  /** The tunnel is gone: drop every connection. */
  closeAll(): void {
    for (const [id, ch] of [...this.channels]) {
      this.forget(id, ch);
      ch.socket.destroy();
    }
  }

  private fromTarget(id: number, ch: Bridged, chunk: Buffer): void {
    if (ch.closed) return;
    for (let off = 0; off < chunk.length; off += MAX_PAYLOAD) {
      this.link.sendFrame(encodeFrame(FrameType.DATA, id, chunk.subarray(off, off + MAX_PAYLOAD)));
    }
    if (this.link.congested) {
      ch.socket.pause();
      this.link.whenDrained(() => ch.socket.resume());
    }
  }

  private targetClosed(id: number, ch: Bridged): void {
    if (ch.closed) return;
    this.forget(id, ch);
    this.sendDisconnect(id, 'target_closed');
  }

  private sendDisconnect(id: number, reason: string): void {
    this.link.sendFrame(
      encodeFrame(FrameType.CLIENT_DISCONNECT, id, Buffer.from(JSON.stringify({ client_id: '', reason }))),
    );
  }

  private release(ch: Bridged): void {
    if (!ch.holding) return;
    ch.holding = false;
    this.link.releaseReads();
  }

  private forget(id: number, ch: Bridged): void {
    ch.closed = true;
    this.release(ch);
    if (this.channels.get(id) === ch) this.channels.delete(id);
  }
}
