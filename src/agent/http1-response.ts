/**
 * Incremental parser of the HTTP/1.x responses an origin sends on one connection, one response per
 * request (no pipelining). Body bytes are handed out as views of the buffer they were read into;
 * whoever keeps one past the callback copies it.
 */
export interface ResponseHead {
  status: number;
  /** [name, value, name, value, …] as sent (values trimmed) */
  rawHeaders: string[];
  /** the connection may carry another request once this response is complete */
  keepAlive: boolean;
}

export interface ResponseEvents {
  head(h: ResponseHead): void;
  body(view: Buffer): void;
  end(): void;
}

export class OriginProtocolError extends Error {}

/** Largest response head (status line + headers) accepted, like Node's default. */
export const MAX_HEAD_BYTES = 16 * 1024;
const MAX_CHUNK_LINE = 1024;

type State = 'idle' | 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'close' | 'done';

export class ResponseParser {
  private state: State = 'idle';
  private method = 'GET';
  private acc: Buffer[] = [];
  private accLen = 0;
  private left = 0;
  private line = '';
  private keepAlive = false;
  /** bytes came after the end of the response: the connection cannot be trusted again */
  overrun = false;

  constructor(private readonly ev: ResponseEvents) {}

  /** Expect the response to a request with this method. */
  expect(method: string): void {
    this.state = 'head';
    this.method = method.toUpperCase();
    this.acc = [];
    this.accLen = 0;
    this.overrun = false;
  }

  get complete(): boolean {
    return this.state === 'done';
  }

  get reusable(): boolean {
    return this.state === 'done' && this.keepAlive && !this.overrun;
  }

  /** Body bytes that may be read straight into a buffer of the caller's choosing (0: use push). */
  get directLimit(): number {
    if (this.state === 'length') return this.left;
    return this.state === 'close' ? Number.MAX_SAFE_INTEGER : 0;
  }

  /** Bytes read in direct mode (all of them body, at most directLimit). */
  pushDirect(view: Buffer): void {
    this.ev.body(view);
    if (this.state === 'length' && (this.left -= view.length) <= 0) this.finish();
  }

  push(buf: Buffer): void {
    let at = 0;
    while (at < buf.length) {
      switch (this.state) {
        case 'idle':
        case 'done':
          this.overrun = true;
          return;
        case 'head':
          at = this.readHead(buf, at);
          break;
        case 'length': {
          const n = Math.min(this.left, buf.length - at);
          this.ev.body(buf.subarray(at, at + n));
          at += n;
          if ((this.left -= n) === 0) this.finish();
          break;
        }
        case 'close':
          this.ev.body(at === 0 ? buf : buf.subarray(at));
          return;
        case 'chunk-data': {
          const n = Math.min(this.left, buf.length - at);
          this.ev.body(buf.subarray(at, at + n));
          at += n;
          if ((this.left -= n) === 0) this.state = 'chunk-crlf';
          break;
        }
        default:
          at = this.readChunkLine(buf, at);
      }
    }
  }

  /** The origin closed its side. */
  eof(): void {
    if (this.state === 'close') return this.finish();
    if (this.state !== 'done' && this.state !== 'idle') {
      throw new OriginProtocolError('origin closed the connection mid-response');
    }
  }

  private finish(): void {
    this.state = 'done';
    this.ev.end();
  }

  private readHead(buf: Buffer, at: number): number {
    const piece = buf.subarray(at);
    const before = this.accLen;
    const all = before === 0 ? piece : Buffer.concat([...this.acc, piece], before + piece.length);
    let end = all.indexOf('\r\n\r\n');
    let sep = 4;
    if (end < 0 && (end = all.indexOf('\n\n')) >= 0) sep = 2; // bare LF line ends
    if (end < 0) {
      if (all.length > MAX_HEAD_BYTES) throw new OriginProtocolError('origin response head too large');
      this.acc.push(Buffer.from(piece)); // the read buffer is reused
      this.accLen += piece.length;
      return buf.length;
    }
    if (end > MAX_HEAD_BYTES) throw new OriginProtocolError('origin response head too large');
    this.acc = [];
    this.accLen = 0;
    this.onHead(all.toString('latin1', 0, end));
    return at + end + sep - before;
  }

  private onHead(text: string): void {
    const lines = text.split(/\r?\n/);
    const sm = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0]!);
    if (!sm) throw new OriginProtocolError('origin sent no HTTP/1.x status line');
    const status = Number(sm[2]);
    const raw: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const l = lines[i]!;
      if ((l[0] === ' ' || l[0] === '\t') && raw.length) {
        raw[raw.length - 1] = `${raw[raw.length - 1]} ${l.trim()}`; // obsolete line folding
        continue;
      }
      const c = l.indexOf(':');
      if (c <= 0 || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(l.slice(0, c))) {
        throw new OriginProtocolError('origin sent a malformed header line');
      }
      raw.push(l.slice(0, c), l.slice(c + 1).trim());
    }
    if (status >= 100 && status < 200 && status !== 101) return void (this.state = 'head'); // interim
    const values = (name: string) => {
      const out: string[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) out.push(raw[i + 1]!);
      return out;
    };
    const conn = values('connection').join(',').toLowerCase();
    this.keepAlive = sm[1] === '1' ? !/(^|[\s,])close($|[\s,])/.test(conn) : /(^|[\s,])keep-alive($|[\s,])/.test(conn);
    const te = values('transfer-encoding')
      .join(',')
      .toLowerCase()
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const cl = values('content-length')
      .join(',')
      .split(',')
      .map((s) => s.trim());
    this.ev.head({ status, rawHeaders: raw, keepAlive: this.keepAlive });
    if (this.method === 'HEAD' || status === 204 || status === 304 || status === 101) {
      if (status === 101) this.keepAlive = false;
      return this.finish();
    }
    if (te.length) {
      if (te[te.length - 1] === 'chunked') return void (this.state = 'chunk-size');
      this.keepAlive = false;
      return void (this.state = 'close');
    }
    if (cl.length && cl[0] !== '') {
      if (!cl.every((v) => /^\d{1,15}$/.test(v) && v === cl[0])) {
        throw new OriginProtocolError('origin sent an invalid Content-Length');
      }
      this.left = Number(cl[0]);
      return this.left === 0 ? this.finish() : void (this.state = 'length');
    }
    this.keepAlive = false;
    this.state = 'close';
  }

  /** chunk-size line, the CRLF after chunk data, and trailer lines: byte by byte (they are short). */
  private readChunkLine(buf: Buffer, at: number): number {
    while (at < buf.length) {
      const b = buf[at++]!;
      if (b !== 0x0a) {
        if (b !== 0x0d) this.line += String.fromCharCode(b);
        if (this.line.length > MAX_CHUNK_LINE) throw new OriginProtocolError('origin chunk line too long');
        continue;
      }
      const line = this.line;
      this.line = '';
      if (this.state === 'chunk-crlf') {
        if (line !== '') throw new OriginProtocolError('origin chunk not followed by CRLF');
        this.state = 'chunk-size';
      } else if (this.state === 'chunk-size') {
        const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
        if (!m) throw new OriginProtocolError('origin sent an invalid chunk size');
        this.left = parseInt(m[1]!, 16);
        this.state = this.left === 0 ? 'trailer' : 'chunk-data';
      } else if (line === '') {
        this.finish(); // end of trailers
      }
      return at;
    }
    return at;
  }
}
