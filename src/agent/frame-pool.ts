import { isIPv4 } from 'node:net';
import { MAX_BODY_FRAME } from '../relay/codec/index.js';

/**
 * Buffers for the BODY frames of downloads, reused once the tunnel socket has taken them. A new
 * 64 KiB buffer per frame is memory outside the JS heap that only a garbage collection returns;
 * V8 runs full collections to keep up with it, which cost the agent more CPU than the copies did.
 * At most `keep` buffers wait for reuse (the tunnel's send buffer bounds how many are out at once).
 */
export class FramePool {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep = 64) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(MAX_BODY_FRAME);
  }

  give(buf: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buf);
  }

  /** Buffers waiting for reuse. */
  get idle(): number {
    return this.free.length;
  }
}

/** One pool for every tunnel and origin connection of the process: at most 4 MiB of idle buffers. */
export const sharedFramePool = new FramePool(64);

/**
 * The WebSocket masking key of the agent's frames. Masking keeps a script in a browser from
 * writing bytes that a transparent proxy would mistake for HTTP; it protects nothing inside TLS
 * or on the loopback interface, where it only costs a copy of every frame. There the key is
 * zero (the frame is still marked masked, as a client's must be); elsewhere ws draws a random one.
 */
export function maskOption(url: string): { generateMask?: (mask: Buffer) => void } {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
  return u.protocol === 'wss:' || u.protocol === 'https:' || loopback ? { generateMask: zeroMask } : {};
}

function zeroMask(mask: Buffer): void {
  mask.fill(0);
}
