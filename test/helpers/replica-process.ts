import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './cluster.js';

const MAIN = join(process.cwd(), 'dist/main.js');

export interface ReplicaProcess {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  exit: Promise<number | null>;
  log: () => string;
  kill(signal: NodeJS.Signals): void;
}

function live(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health/live', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The built hub (`node dist/main.js`) as a cluster replica of its own; resolves once it answers. */
export async function spawnReplica(name: string, env: Record<string, string>): Promise<ReplicaProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first (npm test does)');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HUB_HOST: '127.0.0.1',
      HUB_PORT: String(port),
      HUB_PUBLIC_URL: url,
      HUB_NODE_URL: url,
      HUB_RELAY_NODE: name,
      HUB_RELAY_PORT_ENABLED: 'false',
      HUB_LOG_LEVEL: 'warn',
      HUB_SIGNUP_RATE_LIMIT: '100000',
      HUB_RELAY_CONNECT_LIMIT: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out = (out + c).slice(-20000)));
  child.stderr!.on('data', (c) => (out = (out + c).slice(-20000)));
  const exit = new Promise<number | null>((res) => child.on('exit', (code, sig) => res(sig ? -1 : code)));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`replica ${name} exited early: ${out}`);
    if (await live(port)) {
      return { name, port, url, child, exit, log: () => out, kill: (s) => void child.kill(s) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`replica ${name} did not start: ${out}`);
}

/**
 * A plain TCP load balancer on 127.0.0.1: each connection goes to the first backend (in list
 * order, from `prefer`) that accepts it. No stickiness, no buffering: what docs/scaling.md asks of a real one.
 */
export class TcpBalancer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(public backends: number[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => this.route(client, 0));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  private route(client: Socket, i: number): void {
    if (i >= this.backends.length) return void client.destroy();
    client.pause();
    const up = connect(this.backends[i], '127.0.0.1');
    let connected = false;
    up.once('error', () => {
      if (!connected) this.route(client, i + 1); // refused: the next backend
    });
    up.once('connect', () => {
      connected = true;
      this.sockets.add(client).add(up);
      const done = () => {
        client.destroy();
        up.destroy();
        this.sockets.delete(client);
        this.sockets.delete(up);
      };
      client.on('error', done).on('close', done);
      up.on('error', done).on('close', done);
      client.pipe(up);
      up.pipe(client);
      client.resume();
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
