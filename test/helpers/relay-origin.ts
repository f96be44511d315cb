import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startOrigin, type Origin } from './relay.js';

/** Size of /big.mkv: a large Range-aware file whose bytes are computed, never held (byte i = i mod 251). */
export const BIG_SIZE = 256 * 1024 * 1024;
export const bigBytes = (start: number, length: number) => {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = (start + i) % 251;
  return b;
};

/** 4 MiB of deterministic bytes served as /video.mp4 (Range aware). */
export const VIDEO = Buffer.alloc(4 * 1024 * 1024);
for (let i = 0; i < VIDEO.length; i++) VIDEO[i] = (i * 31 + (i >> 8)) & 0xff;

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface TestOrigin extends Origin {
  /** ids of /slow requests whose connection closed (client cancel reached the origin) */
  closedSlow: Set<string>;
}

/**
 * The media server behind the agent: /echo (request as JSON), /upload (hash of the body),
 * /video.mp4 (Range → 206), /slow/{id} (a chunk every 50 ms until cancelled), /hang (never answers),
 * /huge (64 MiB stream, for back-pressure), /big.mkv (BIG_SIZE, Range aware, streamed with
 * back-pressure: seeking players), anything else 200 JSON {path}.
 */
export async function startTestOrigin(): Promise<TestOrigin> {
  const closedSlow = new Set<string>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    const path = url.pathname;
    if (path === '/echo' || path.endsWith('/echo')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          bodyLength: Buffer.concat(chunks).length,
        });
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-origin': 'yes',
          'set-cookie': 'sid=origin; Path=/',
        });
        res.end(body);
      });
      return;
    }
    if (path === '/upload') {
      const h = createHash('sha256');
      let n = 0;
      req.on('data', (c: Buffer) => {
        h.update(c);
        n += c.length;
      });
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ bytes: n, sha256: h.digest('hex') }));
      });
      return;
    }
    if (path === '/video.mp4') {
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (m) {
        const start = Number(m[1]);
        const end = m[2] ? Math.min(Number(m[2]), VIDEO.length - 1) : VIDEO.length - 1;
        res.writeHead(206, {
          'content-type': 'video/mp4',
          'accept-ranges': 'bytes',
          'content-range': `bytes ${start}-${end}/${VIDEO.length}`,
          'content-length': String(end - start + 1),
        });
        return void res.end(req.method === 'HEAD' ? undefined : VIDEO.subarray(start, end + 1));
      }
      res.writeHead(200, {
        'content-type': 'video/mp4',
        'accept-ranges': 'bytes',
        'content-length': String(VIDEO.length),
      });
      return void res.end(req.method === 'HEAD' ? undefined : VIDEO);
    }
    if (path.startsWith('/slow/')) {
      const id = path.slice(6);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const t = setInterval(() => res.write(Buffer.alloc(1024, 0x61)), 50);
      res.on('close', () => {
        clearInterval(t);
        closedSlow.add(id);
      });
      return;
    }
    if (path === '/big.mkv') {
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const start = m ? Number(m[1]) : 0;
      const end = m && m[2] ? Math.min(Number(m[2]), BIG_SIZE - 1) : BIG_SIZE - 1;
      const head = {
        'content-type': 'video/x-matroska',
        'accept-ranges': 'bytes',
        'content-length': String(end - start + 1),
      };
      res.writeHead(m ? 206 : 200, m ? { ...head, 'content-range': `bytes ${start}-${end}/${BIG_SIZE}` } : head);
      let at = start;
      const pump = () => {
        while (at <= end && !res.destroyed) {
          const n = Math.min(64 * 1024, end - at + 1);
          const chunk = bigBytes(at, n);
          at += n;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (path === '/hang') return; // never answers
    if (path.startsWith('/huge')) {
      const total = Number(url.searchParams.get('mib') ?? '64') * 1024 * 1024;
      const block = Buffer.alloc(64 * 1024, 0x62);
      let sent = 0;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
      const pump = () => {
        while (sent < total) {
          sent += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path, query: url.search }));
  };
  const o = await startOrigin(handler);
  return Object.assign(o, { closedSlow });
}
