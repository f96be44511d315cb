import { Logger } from '@nestjs/common';
import WebSocket from 'ws';
import { decodeLinkFrame, encodeLinkFrame, LinkFrameError, type LinkFrame, type LinkType } from './link-frame.js';

/** Link bytes queued in the socket above which producers hold their reads until it drains. */
export const LINK_HIGH_WATER = 1024 * 1024;
/** Largest link message (one frame: 7 + 65535 bytes). */
export const MAX_LINK_MESSAGE = 7 + 0xffff;
/** A link whose peer answers no ping for this long is dropped. */
const PING_MS = 15_000;

const log = new Logger('ClusterLink');

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

/**
 * One internal link WebSocket between two replicas, either end: frames in and out (one per
 * message), congestion and drain notifications, a ping to notice a peer that went silent, and a
 * single close callback. Exceptions of handlers never escape a socket callback.
 */
export class LinkSocket {
  private closed = false;
  private readonly drainWaiters = new Set<() => void>();
  private alive = true;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly onFrame: (f: LinkFrame) => void,
    private readonly onClose: (reason: string) => void,
  ) {
    ws.on('message', (data, isBinary) => {
      if (this.closed) return;
      if (!isBinary) return this.close('protocol_error', 1002);
      let f: LinkFrame;
      try {
        f = decodeLinkFrame(toBuffer(data));
      } catch (e) {
        if (e instanceof LinkFrameError) return this.close('protocol_error', 1002);
        throw e;
      }
      this.safely(() => this.onFrame(f));
    });
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.finish('link_closed'));
    ws.on('error', () => undefined);
    const sock = (ws as unknown as { _socket?: NodeJS.EventEmitter })._socket;
    sock?.on('drain', () => this.runDrainWaiters());
    this.pinger = setInterval(() => {
      if (!this.alive) return this.close('link_timeout', 1001);
      this.alive = false;
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, PING_MS);
    this.pinger.unref?.();
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  get congested(): boolean {
    return this.ws.bufferedAmount > LINK_HIGH_WATER;
  }

  send(type: LinkType, id: number, payload?: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.ws.send(encodeLinkFrame(type, id, payload), { binary: true });
    return true;
  }

  /** Run `cb` once queued link bytes are below the high-water mark (dropped if the link closes). */
  whenDrained(cb: () => void): void {
    if (!this.congested) return void setImmediate(() => this.safely(cb));
    this.drainWaiters.add(cb);
  }

  close(reason: string, code = 1000): void {
    if (this.closed) return;
    try {
      this.ws.close(code, reason.slice(0, 120));
      const kill = setTimeout(() => this.ws.terminate(), 2000);
      kill.unref?.();
    } catch {
      this.ws.terminate();
    }
    this.finish(reason);
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pinger);
    this.drainWaiters.clear();
    this.safely(() => this.onClose(reason));
  }

  private runDrainWaiters(): void {
    if (this.congested) return;
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const w of waiters) this.safely(w);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.error(`link handler failed: ${(e as Error).stack ?? (e as Error).message}`);
      if (!this.closed) this.close('internal_error', 1011);
    }
  }
}
