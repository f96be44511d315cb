import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { startOrigin, type Origin } from './relay.js';

export const MOVIE = Buffer.alloc(1024 * 1024, 0x6d);
/** above the 16 MiB whole-body limit of the permission model */
export const BIG = Buffer.alloc(20 * 1024 * 1024, 0x62);

function ranged(req: IncomingMessage, res: ServerResponse, body: Buffer, type: string): void {
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const head = req.method === 'HEAD';
  if (m) {
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
    res.writeHead(206, {
      'content-type': type,
      'accept-ranges': 'bytes',
      'content-range': `bytes ${start}-${end}/${body.length}`,
      'content-length': String(end - start + 1),
    });
    return void res.end(head ? undefined : body.subarray(start, end + 1));
  }
  res.writeHead(200, { 'content-type': type, 'accept-ranges': 'bytes', 'content-length': String(body.length) });
  res.end(head ? undefined : body);
}

export interface ShareOrigin extends Origin {
  /** request lines the origin saw (method + path as received) */
  seen: string[];
  /** ids of /slow/{id} streams whose connection closed */
  closedSlow: Set<string>;
}

/**
 * A media origin like nginx serving a folder, folding case (like an SMB share): /movie.mp4,
 * /movie.m4v, /movie.mkv (video), /archive.iso (octet-stream), /big.mp4 (20 MiB video),
 * /attach.json (an attachment), /hls/live.ts (video of unknown length), /slow/{id} (text, a chunk
 * every 50 ms until cancelled), PUT/POST anything → 201; every other GET → JSON {path}. Any
 * /Movies/ or /TV/ prefix serves the same files.
 */
export async function startShareOrigin(): Promise<ShareOrigin> {
  const seen: string[] = [];
  const closedSlow = new Set<string>();
  const o = await startOrigin((req, res) => {
    const raw = (req.url ?? '/').split('?')[0]!;
    seen.push(`${req.method} ${raw}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      return req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ created: raw }));
      });
    }
    const path =
      decodeURIComponent(raw)
        .toLowerCase()
        .replace(/^\/(movies|tv)\//, '/')
        .replace(/\/+$/, '') || '/';
    if (path === '/movie.mp4' || path === '/movie.m4v') return ranged(req, res, MOVIE, 'video/mp4');
    if (path === '/movie.mkv') return ranged(req, res, MOVIE, 'video/x-matroska');
    if (path === '/big.mp4') return ranged(req, res, BIG, 'video/mp4');
    if (path === '/archive.iso') return ranged(req, res, MOVIE, 'application/x-iso9660-image');
    if (path === '/attach.json') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-disposition': 'attachment; filename="list.json"',
      });
      return void res.end('{"a":1}');
    }
    if (path === '/hls/live.ts') {
      res.writeHead(200, { 'content-type': 'video/mp2t' });
      return void res.end(req.method === 'HEAD' ? undefined : MOVIE);
    }
    if (path.startsWith('/slow/')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('tick\n'), 50);
      res.on('close', () => {
        clearInterval(t);
        closedSlow.add(path.slice(6));
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: raw }));
  });
  return Object.assign(o, { seen, closedSlow });
}

/**
 * One request; resolves at the response head with the status and, for non-2xx answers, the error
 * code; 2xx bodies are counted up to `read` bytes, then the request is dropped.
 */
export function probe(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: Buffer; read?: number } = {},
): Promise<{ status: number; code?: string; bytes: number; type?: string }> {
  return new Promise((resolve, reject) => {
    const m = /^http:\/\/([^/:]+):(\d+)(\/.*)$/.exec(url)!;
    const req = httpRequest(
      { host: m[1], port: Number(m[2]), path: m[3], method: o.method ?? 'GET', headers: o.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        const status = res.statusCode ?? 0;
        const done = () => {
          const body = Buffer.concat(chunks).toString();
          let code: string | undefined;
          if (status >= 400) {
            try {
              code = JSON.parse(body).code;
            } catch {
              code = undefined;
            }
          }
          resolve({ status, code, bytes, type: res.headers['content-type'] });
        };
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (status >= 300) {
            chunks.push(c);
          } else if (bytes >= (o.read ?? 64 * 1024)) {
            req.destroy();
            done();
          }
        });
        res.on('end', done);
        res.on('error', () => undefined);
      },
    );
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end(o.body);
  });
}
