import { checkRelayPath, PathRejected } from '../proxy/proxy-rules.js';

/** Longest request head a grantee's channel may send (bytes up to the blank line). */
export const MAX_CHANNEL_HEAD = 16 * 1024;
const END = Buffer.from('\r\n\r\n');
const READ_LINE = /^(GET|HEAD|OPTIONS) (\/\S*) HTTP\/1\.[01]$/;
const REFUSED_HEADERS = /^(content-length|transfer-encoding|upgrade|expect)$/i;

/**
 * What a grantee's raw client channel may carry: HTTP/1.x read requests only (GET, HEAD, OPTIONS
 * in origin form, a path that passes the relay's path rules, no body, no Upgrade), one after the
 * other. Anything else — a write, a body, TLS, a WebSocket upgrade, bytes that are not HTTP —
 * ends the channel before it reaches the server. Only whole bytes of checked heads are passed on.
 * (Grantees reach channels only with a whole-server download share, so reads need no more check.)
 */
export class GranteeChannelFilter {
  private pending: Buffer = Buffer.alloc(0);

  /** Bytes that may go to the server now (possibly none yet), or null: close the channel. */
  push(data: Buffer): Buffer | null {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    const out: Buffer[] = [];
    for (;;) {
      // blank lines between requests are allowed (RFC 9112 §2.2)
      let start = 0;
      while (this.pending[start] === 0x0d || this.pending[start] === 0x0a) start++;
      if (start) out.push(this.pending.subarray(0, start));
      this.pending = this.pending.subarray(start);
      const end = this.pending.indexOf(END);
      if (end < 0) break;
      const head = this.pending.subarray(0, end + 4);
      if (!allowedHead(head.toString('latin1'))) return null;
      out.push(head);
      this.pending = this.pending.subarray(end + 4);
    }
    if (this.pending.length > MAX_CHANNEL_HEAD) return null;
    if (this.pending.length && !/^[A-Z]{0,7}( |$)/.test(this.pending.subarray(0, 8).toString('latin1'))) return null; // not HTTP at all
    return Buffer.concat(out);
  }
}

function allowedHead(head: string): boolean {
  const lines = head.slice(0, -4).split('\r\n');
  const m = READ_LINE.exec(lines[0] ?? '');
  if (!m) return false;
  const target = m[2]!;
  const q = target.indexOf('?');
  try {
    checkRelayPath(q < 0 ? target : target.slice(0, q));
  } catch (e) {
    if (e instanceof PathRejected) return false;
    throw e;
  }
  for (const line of lines.slice(1)) {
    const c = line.indexOf(':');
    if (c <= 0 || /^[ \t]/.test(line) || line.includes('\n') || line.includes('\r')) return false; // no obs-fold
    const name = line.slice(0, c).trim();
    const value = line.slice(c + 1).trim();
    if (REFUSED_HEADERS.test(name) && !(name.toLowerCase() === 'content-length' && value === '0')) return false;
  }
  return true;
}
