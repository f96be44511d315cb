import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import request_ from 'supertest';
import { createTestHub, freePort, registerUser, type TestHub } from './helpers/hub.js';
import { createTestDatabase, dropTestDatabase, testDbKind } from './helpers/db.js';
import { pairServer } from './helpers/servers.js';
import { RawTunnel, startOrigin, waitFor } from './helpers/relay.js';
import { RelayAgent } from '../src/agent/relay-agent.js';
import { AgentState } from '../src/agent/agent-state.js';
import type { AgentTunnel } from '../src/agent/agent-tunnel.js';

/**
 * The built server (`node dist/main.js`, `npm run build` first) as a child process on a temp data
 * dir (or a fresh MariaDB database) and a free port: SIGTERM under load loses no committed write.
 */
jest.setTimeout(60_000);

const MAIN = join(process.cwd(), 'dist', 'main.js');

interface Res {
  status: number;
  body: string;
  at: number;
}
function request(port: number, method: string, path: string, body?: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {},
      },
      (r) => {
        let b = '';
        r.setEncoding('utf8');
        r.on('data', (c) => (b += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body: b, at: Date.now() }));
        r.on('error', reject);
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function startHub(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; out: () => string; exit: Promise<number | null> }> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HUB_HOST: '127.0.0.1',
      HUB_PORT: String(port),
      HUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
      HUB_LOG_LEVEL: 'warn',
      HUB_SIGNUP_RATE_LIMIT: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exit = new Promise<number | null>((res) => child.on('exit', (code, sig) => res(sig ? -1 : code)));
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`hub exited early: ${out}`);
    try {
      if ((await request(port, 'GET', '/health/live')).status === 200) return { child, port, out: () => out, exit };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`hub did not start: ${out}`);
}

let dataDir: string;
let dbName: string | null = null;
let dbUrl: string | undefined;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` first');
  dataDir = mkdtempSync(join(tmpdir(), 'phlix-shutdown-'));
  if (testDbKind() === 'mysql') {
    dbName = `phlix_t_${randomBytes(6).toString('hex')}`;
    dbUrl = await createTestDatabase(dbName);
  }
});
afterAll(async () => {
  if (dbName) await dropTestDatabase(dbName);
  rmSync(dataDir, { recursive: true, force: true });
});

test('SIGTERM while writes are in flight: every acknowledged write is committed, exit code 0, then the port is closed', async () => {
  const hub = await startHub({
    HUB_DATA_DIR: dataDir,
    HUB_SHUTDOWN_DRAIN_MS: '8000',
    ...(dbUrl ? { DB_URL: dbUrl } : {}),
  });
  const tag = randomBytes(3).toString('hex');
  // warm up (first admin, key material, argon2)
  expect(
    (
      await request(hub.port, 'POST', '/api/v1/auth/register', {
        username: `w_${tag}`,
        email: `w_${tag}@example.test`,
        password: 'correct horse battery',
      })
    ).status,
  ).toBe(201);
  const N = 40;
  const names = Array.from({ length: N }, (_, i) => `s${i}_${tag}`);
  const results = names.map((u) =>
    request(hub.port, 'POST', '/api/v1/auth/register', {
      username: u,
      email: `${u}@example.test`,
      password: 'correct horse battery',
    }).then(
      (r) => ({ u, ...r }),
      (e: NodeJS.ErrnoException) => ({ u, status: -1, body: e.code ?? e.message, at: Date.now() }),
    ),
  );
  await new Promise((r) => setTimeout(r, 60));
  const sigAt = Date.now();
  hub.child.kill('SIGTERM');
  const done = await Promise.all(results);
  const code = await hub.exit;
  expect({ code, out: code === 0 ? '' : hub.out() }).toEqual({ code: 0, out: '' });
  expect(hub.out()).toContain('shutdown: complete');

  const ok = done.filter((d) => d.status === 201).map((d) => d.u);
  const completedAfterSignal = done.filter((d) => d.status === 201 && d.at >= sigAt).length;
  if (process.env.OPS_DEBUG) {
    console.log({
      ok: ok.length,
      completedAfterSignal,
      refused: done.filter((d) => d.status !== 201).map((d) => `${d.status}:${d.body.slice(0, 40)}`),
    });
  }
  // requests already being served when the signal came were allowed to finish
  expect(completedAfterSignal).toBeGreaterThan(0);
  // nothing else than success, "shutting down" (503) or a refused/reset connection
  for (const d of done) expect([201, 503, -1]).toContain(d.status);
  await expect(request(hub.port, 'GET', '/health/live')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

  // reopen the same database: every acknowledged registration and its audit row are there
  const check = await createTestHub({ dataDir, dbUrl });
  try {
    const rows: { username: string }[] = await check.ds.query('SELECT username FROM users');
    const have = new Set(rows.map((r) => r.username));
    expect(ok.filter((u) => !have.has(u))).toEqual([]);
    const audits = Number(
      (await check.ds.query("SELECT COUNT(*) AS n FROM audit_logs WHERE action = 'auth.register'"))[0].n,
    );
    expect(audits).toBeGreaterThanOrEqual(ok.length + 1);
  } finally {
    await check.close();
  }
});

test('an idle hub stops at once on SIGTERM with exit code 0', async () => {
  const hub = await startHub({
    HUB_DATA_DIR: dataDir,
    HUB_SHUTDOWN_DRAIN_MS: '10000',
    ...(dbUrl ? { DB_URL: dbUrl } : {}),
  });
  const t0 = Date.now();
  hub.child.kill('SIGTERM');
  expect(await hub.exit).toBe(0);
  expect(Date.now() - t0).toBeLessThan(3000);
});

/** Registration and pairing helpers only need `http()`: point them at the child process. */
const remote = (port: number) => ({ http: () => request_(`http://127.0.0.1:${port}`) }) as unknown as TestHub;

/** Stream `chunks` chunks of 16 KiB, one every `every` ms, from the origin behind the agent. */
async function slowOrigin() {
  return startOrigin((req, res) => {
    const u = new URL(req.url ?? '/', 'http://o');
    const chunks = Number(u.searchParams.get('chunks') ?? 10);
    const every = Number(u.searchParams.get('every') ?? 100);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(chunks * 16384) });
    let i = 0;
    const t = setInterval(() => {
      res.write(Buffer.alloc(16384, i));
      if (++i === chunks) {
        clearInterval(t);
        res.end();
      }
    }, every);
    res.on('close', () => clearInterval(t));
  });
}

function streamGet(
  url: string,
  token: string,
): Promise<{ status: number; bytes: number; complete: boolean; headersAt: Promise<void> }> {
  let headers!: () => void;
  const headersAt = new Promise<void>((r) => (headers = r));
  const done = new Promise<{ status: number; bytes: number; complete: boolean; headersAt: Promise<void> }>(
    (resolve) => {
      const req = http.get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
        headers();
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, complete: res.complete, headersAt }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, bytes, complete: false, headersAt }));
        res.on('aborted', () => resolve({ status: res.statusCode ?? 0, bytes, complete: false, headersAt }));
      });
      req.on('error', () => resolve({ status: -1, bytes: 0, complete: false, headersAt }));
    },
  );
  (done as unknown as { headersAt: Promise<void> }).headersAt = headersAt;
  return done;
}

describe('relay streams and tunnels at shutdown', () => {
  test.each([
    ['a stream shorter than the drain completes; then the tunnel closes with 1012 hub_draining', '6000', 12, true],
    ['a stream longer than the drain is cut at the deadline; the hub still exits 0', '800', 60, false],
  ] as const)('%s', async (_name, drainMs, chunks, expectComplete) => {
    const origin = await slowOrigin();
    const agentDir = mkdtempSync(join(tmpdir(), 'phlix-ops-agent-'));
    const hubDir = mkdtempSync(join(tmpdir(), 'phlix-ops-relay-'));
    const relayPort = await freePort();
    const hub = await startHub({
      HUB_DATA_DIR: hubDir,
      HUB_SHUTDOWN_DRAIN_MS: drainMs,
      HUB_RELAY_PORT: String(relayPort),
      HUB_RELAY_CONNECT_LIMIT: '100000',
      ...(dbUrl ? { DB_URL: dbUrl } : {}),
    });
    const base = `http://127.0.0.1:${hub.port}`;
    const owner = await registerUser(remote(hub.port));
    const paired = await pairServer(remote(hub.port), owner);
    AgentState.open(agentDir).setEnrollment({
      hubBaseUrl: base,
      serverId: paired.serverId,
      enrollmentJwt: paired.enrollmentJwt,
      enrolledAt: Date.now(),
    });
    const agentLog: string[] = [];
    const agent = new RelayAgent({
      hubUrl: base,
      origin: origin.url,
      dataDir: agentDir,
      reconnectBaseMs: 60_000,
      reconnectMaxMs: 60_000,
      heartbeatIntervalMs: 3_600_000,
      log: (m) => agentLog.push(m),
    });
    const up = new Promise<AgentTunnel>((r) => agent.once('tunnel-up', r));
    await agent.start();
    const tunnel = await up;
    try {
      const t0 = Date.now();
      const stream = streamGet(
        `${base}/api/v1/servers/${paired.serverId}/proxy/stream?chunks=${chunks}&every=100`,
        owner.token,
      );
      await (stream as unknown as { headersAt: Promise<void> }).headersAt;
      hub.child.kill('SIGTERM');
      if (expectComplete) {
        // draining: a new tunnel (here on the dedicated relay port, the main listener is closed) is refused with 1012
        await waitFor(() => agentLog.some((l) => l.startsWith('hub draining')), 5000, 'drain notice');
        const late = await RawTunnel.connect(`ws://127.0.0.1:${relayPort}/`);
        expect(await late.waitClose()).toEqual({ code: 1012, reason: 'hub_draining' });
      }
      const r = await stream;
      const closed = await tunnel.closed;
      expect(await hub.exit).toBe(0);
      // told DISCONNECTED hub_draining first, the agent tried to move at once (no sibling here)
      expect(agentLog.some((l) => l.startsWith('hub draining; opening a new tunnel'))).toBe(true);
      expect(closed).toEqual({ code: 1012, reason: 'hub_draining' });
      expect(r.status).toBe(200);
      if (expectComplete) {
        expect(r).toMatchObject({ complete: true, bytes: chunks * 16384 });
      } else {
        expect(r.bytes).toBeLessThan(chunks * 16384);
        expect(Date.now() - t0).toBeLessThan(Number(drainMs) + 5000);
      }
      expect(hub.out()).toMatch(/shutdown: drained.*"tunnels_closed":1/);
    } finally {
      await agent.stop();
      await origin.close();
      if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
      for (const d of [agentDir, hubDir]) rmSync(d, { recursive: true, force: true });
    }
  });
});
