import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, promises as fsp } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { HubConfig } from '../config/config.js';

/** Paths the web app never answers: the API and the machine endpoints behave as if it were not there. */
export const RESERVED_PREFIXES = ['/api', '/health', '/.well-known', '/metrics'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The app document's policy: scripts and styles only from this origin (the Vite build has no
 * inline script), no framing, and no Referer (invite URLs carry their token in the path).
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export function isReserved(pathname: string): boolean {
  return RESERVED_PREFIXES.some((p) => pathname.startsWith(p));
}

type NotFoundHandler = (req: FastifyRequest, reply: FastifyReply) => unknown;

/** A request the web app answers: a GET or HEAD outside the reserved prefixes. */
export function isAppRequest(req: FastifyRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !isReserved((req.raw.url ?? '/').split('?')[0]);
}

/**
 * Serves the built web app (HUB_WEB_DIR, default ./web/dist) at `/`: a file when the path names one,
 * else index.html (history fallback, so /invite/<token> and every screen load on refresh). Hashed
 * files under /assets/ are cached for a year; index.html is revalidated every time. A missing build
 * answers 503 `web.not_built`. Plain node:fs streams: no static-file plugin (it cannot load under jest).
 *
 * The app has no route of its own: it answers from the not-found handler, i.e. only when no API
 * route matched. Nest installs that handler after the modules' init hooks, so the adapter's
 * setNotFoundHandler is wrapped here: a GET/HEAD outside the reserved prefixes goes to the app,
 * everything else to Nest's own handler (404 `route.not_found` through the exception filter).
 * The router's own errors (414 for an over-long API parameter, 400 for a malformed URL) happen
 * before any handler, exactly as without the app.
 */
@Injectable()
export class WebAppRoute implements OnModuleInit {
  private readonly root: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    cfg: HubConfig,
  ) {
    this.root = resolve(cfg.hub.webDir);
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as FastifyAdapter | undefined;
    if (!adapter) return;
    const setNotFound = adapter.setNotFoundHandler.bind(adapter);
    adapter.setNotFoundHandler = ((nestNotFound: NotFoundHandler) =>
      setNotFound((req: FastifyRequest, reply: FastifyReply) =>
        isAppRequest(req) ? this.handle(req, reply, nestNotFound) : nestNotFound(req, reply),
      )) as typeof adapter.setNotFoundHandler;
  }

  /** Answers an app request; `notFound` is the API's 404 (for a missing hashed asset). */
  async handle(req: FastifyRequest, reply: FastifyReply, notFound: NotFoundHandler): Promise<void> {
    const pathname = (req.raw.url ?? '/').split('?')[0];
    const file = await this.fileFor(pathname);
    if (file) return this.send(req, reply, file.path, file.size, file.mtime, pathname.startsWith('/assets/'));
    // a missing hashed asset is a 404, not the app document (a script tag would get HTML back)
    if (pathname.startsWith('/assets/')) return void (await notFound(req, reply));
    const index = await this.stat(join(this.root, 'index.html'));
    if (!index) {
      return reply
        .code(503)
        .type('application/json; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send({ error: 'The web app is not built: run `npm run build` (the API is up)', code: 'web.not_built' });
    }
    return this.send(req, reply, join(this.root, 'index.html'), index.size, index.mtime, false);
  }

  /** The file a URL path names inside the build, or null (no traversal, no dotfiles, files only). */
  private async fileFor(pathname: string): Promise<{ path: string; size: number; mtime: Date } | null> {
    if (pathname === '/' || pathname.endsWith('/')) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const parts = decoded.split('/').filter(Boolean);
    if (parts.some((p) => p.startsWith('.'))) return null;
    const path = resolve(this.root, ...parts);
    if (!path.startsWith(this.root + sep)) return null;
    const st = await this.stat(path);
    return st ? { path, ...st } : null;
  }

  private async stat(path: string): Promise<{ size: number; mtime: Date } | null> {
    try {
      const st = await fsp.stat(path);
      return st.isFile() ? { size: st.size, mtime: st.mtime } : null;
    } catch {
      return null;
    }
  }

  private send(req: FastifyRequest, reply: FastifyReply, path: string, size: number, mtime: Date, immutable: boolean) {
    const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    reply
      .header('Content-Type', type)
      .header('Content-Length', String(size))
      .header('Last-Modified', mtime.toUTCString());
    reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (type.startsWith('text/html')) {
      reply.header('Content-Security-Policy', CSP).header('Referrer-Policy', 'no-referrer');
    }
    if (req.method === 'HEAD') return reply.code(200).send();
    return reply.code(200).send(createReadStream(path));
  }
}
