// Start `node dist/main.js` as a child process for the bench, read its RSS from /proc, stop it with SIGTERM.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

/** VmRSS / VmHWM of a pid in MiB (Linux). */
export function memOf(pid) {
  const txt = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(txt) ?? [])[1] ?? 0);
  return { rssMiB: +(kb('VmRSS') / 1024).toFixed(1), peakMiB: +(kb('VmHWM') / 1024).toFixed(1) };
}

export async function startHub({ dataDir, dbUrl, env = {} }) {
  const port = await freePort();
  const main = new URL('../../dist/main.js', import.meta.url).pathname;
  let out = '';
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      HUB_HOST: '127.0.0.1',
      HUB_PORT: String(port),
      HUB_PUBLIC_URL: 'http://127.0.0.1:8800',
      HUB_DATA_DIR: dataDir,
      HUB_LOG_LEVEL: 'warn',
      HUB_RELAY_PORT_ENABLED: 'false',
      HUB_TRUST_PROXY: 'true',
      HUB_SIGNUP_RATE_LIMIT: '1000000',
      HUB_LOGIN_MAX_FAILURES: '1000000',
      HUB_LOGIN_IP_MAX_FAILURES: '1000000',
      HUB_SHUTDOWN_DRAIN_MS: '2000',
      HUB_JWT_ACCESS_TTL: '86400', // tokens are minted once; a run lasts longer than 15 min
      ...(dbUrl ? { DB_URL: dbUrl } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => {
    out = (out + c).slice(-20000);
  });
  child.stderr.on('data', (c) => {
    out = (out + c).slice(-20000);
  });
  const exited = new Promise((res) => child.on('exit', (code, sig) => res(sig ? `signal ${sig}` : code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`hub exited: ${out}`);
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
    if (i === 299) {
      child.kill('SIGKILL');
      throw new Error(`hub did not start: ${out}`);
    }
  }
  return {
    base,
    pid: child.pid,
    mem: () => memOf(child.pid),
    log: () => out,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`hub stopped with ${code}: ${out.slice(-2000)}`);
    },
  };
}
