// Start `node [nodeArgs] dist/main.js` for the relay bench (like bench/lib/hub.mjs, plus node flags such as --cpu-prof).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../lib/hub.mjs';

/** The node flags `npm start` runs the hub with (package.json), so a bench measures what operators run. */
export function startFlags() {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return pkg.scripts.start
    .split(/\s+/)
    .filter((t) => t.startsWith('--'))
    .join(' ');
}

/** `port`: when the caller must know it before the start (a cluster replica's HUB_NODE_URL). */
export async function startRelayHub({ dataDir, env = {}, nodeArgs = [], port: fixedPort }) {
  const port = fixedPort ?? (await freePort());
  const main = new URL('../../dist/main.js', import.meta.url).pathname;
  let out = '';
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      PATH: process.env.PATH,
      HUB_HOST: '127.0.0.1',
      HUB_PORT: String(port),
      HUB_PUBLIC_URL: 'http://127.0.0.1:8800',
      HUB_DATA_DIR: dataDir,
      HUB_LOG_LEVEL: 'warn',
      HUB_RELAY_PORT_ENABLED: 'false',
      HUB_LOGIN_MAX_FAILURES: '1000000',
      HUB_LOGIN_IP_MAX_FAILURES: '1000000',
      HUB_SHUTDOWN_DRAIN_MS: '2000',
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
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`hub exited: ${out}`);
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* starting */
    }
    if (i === 300) {
      child.kill('SIGKILL');
      throw new Error(`hub did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    pid: child.pid,
    log: () => out,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`hub stopped with ${code}: ${out.slice(-2000)}`);
    },
  };
}
