import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createTestHub, type TestHub, type TestHubOptions } from './hub.js';
import type { PairedServer } from './servers.js';
import { FrameDecoder, FrameType, encodeFrame, type Frame } from '../../src/relay/codec/index.js';
import { RelayAgent, type RelayAgentOptions } from '../../src/agent/relay-agent.js';
import { AgentState } from '../../src/agent/agent-state.js';

/** A listening hub whose relay port is ephemeral and whose connect limiter stays out of the way. */
export function relayHub(
  env: Record<string, string> = {},
  o: Omit<TestHubOptions, 'env' | 'listen'> = {},
): Promise<TestHub> {
  return createTestHub({
    ...o,
    listen: true,
    env: { HUB_RELAY_PORT: '0', HUB_RELAY_CONNECT_LIMIT: '1000000', ...env },
  });
}

export function hubPort(hub: TestHub): number {
  return (hub.app.getHttpServer().address() as AddressInfo).port;
}

export function hubUrl(hub: TestHub): string {
  return `http://127.0.0.1:${hubPort(hub)}`;
}

/** Absolute URL of `path` on a server, through the hub's relay proxy. */
export function proxyUrl(hub: TestHub, serverId: string, path: string): string {
  return `${hubUrl(hub)}/api/v1/servers/${serverId}/proxy${path}`;
}

export function tunnelUrl(hub: TestHub): string {
  return `ws://127.0.0.1:${hubPort(hub)}/api/v1/relay/tunnel`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `p`, or a rejection after `ms` (the timer is cleared either way). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_r, reject) => (t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
  );
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A bare WebSocket speaking the tunnel protocol by hand (protocol and abuse tests). */
export class RawTunnel {
  readonly frames: Frame[] = [];
  readonly texts: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly decoder = new FrameDecoder();

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      const buf = data as Buffer;
      if (!isBinary) {
        this.texts.push(buf.toString('utf8'));
      } else {
        try {
          this.frames.push(...this.decoder.push(buf));
        } catch {
          /* recorded as nothing */
        }
      }
    });
  }

  static connect(url: string): Promise<RawTunnel> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const t = new RawTunnel(ws);
      ws.once('open', () => resolve(t));
      ws.once('error', reject);
    });
  }

  /** Connect, HELLO with this server's enrollment, and wait for HELLO_ACK. */
  static async open(
    url: string,
    s: { serverId: string; enrollmentJwt: string },
    extra: Record<string, unknown> = {},
  ): Promise<RawTunnel> {
    const t = await RawTunnel.connect(url);
    t.hello(s.serverId, s.enrollmentJwt, extra);
    const ack = await t.nextText();
    if (JSON.parse(ack).type !== 'hello_ack') throw new Error(`no ack: ${ack}`);
    return t;
  }

  hello(serverId: string, jwt: string, extra: Record<string, unknown> = {}): void {
    this.ws.send(JSON.stringify({ type: 'hello', enrollment_jwt: jwt, server_id: serverId, ...extra }));
  }

  async nextText(timeoutMs = 5000): Promise<string> {
    await waitFor(() => this.texts.length > 0, timeoutMs, 'a text message');
    return this.texts.shift()!;
  }

  send(type: FrameType, id: number, payload: Buffer = Buffer.alloc(0)): void {
    this.ws.send(encodeFrame(type, id, payload));
  }

  sendRaw(buf: Buffer): void {
    this.ws.send(buf);
  }

  async waitFrame(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return (await waitFor(() => this.frames.find(pred), timeoutMs, 'a frame'))!;
  }

  async waitClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return withTimeout(this.closed, timeoutMs, 'tunnel close');
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.ws.terminate();
  }
}

export interface Origin {
  url: string;
  server: Server;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A real HTTP origin on 127.0.0.1:0. */
export async function startOrigin(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Origin> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An in-process agent already holding `paired`'s enrollment; resolves once its tunnel is up. */
export async function startAgent(
  hub: TestHub,
  paired: PairedServer,
  origin: string,
  o: Partial<RelayAgentOptions> = {},
): Promise<RelayAgent> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'phlix-agent-'));
  AgentState.open(dataDir).setEnrollment({
    hubBaseUrl: hubUrl(hub),
    serverId: paired.serverId,
    enrollmentJwt: paired.enrollmentJwt,
    enrolledAt: Date.now(),
  });
  const agent = new RelayAgent({
    hubUrl: hubUrl(hub),
    origin,
    dataDir,
    reconnectBaseMs: 50,
    reconnectMaxMs: 500,
    heartbeatIntervalMs: 3_600_000,
    now: () => hub.clock.now(),
    ...o,
  });
  const up = new Promise((res) => agent.once('tunnel-up', res));
  await agent.start();
  await withTimeout(up, 5000, 'agent tunnel up');
  return agent;
}

/** A one-shot HTTP request without keep-alive (leaves no sockets behind). */
export function rawRequest(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // the path is sent exactly as written (no dot-segment normalisation, unlike WHATWG URL parsing)
    const m = /^http:\/\/([^/:]+):(\d+)(\/.*)?$/.exec(url);
    if (!m) throw new Error(`rawRequest needs http://host:port/path, got ${url}`);
    const req = httpRequest(
      {
        host: m[1],
        port: Number(m[2]),
        path: m[3] ?? '/',
        method: o.method ?? 'GET',
        headers: o.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
