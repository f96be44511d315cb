// Peers of the relay for bench/relay.mjs, all on 127.0.0.1 in a temp dir, stopped by the bench:
//   nginx   one server serving files with sendfile (the origin, "direct"), one proxying to it ("nginx hop")
//   sshd    a throwaway sshd on a high port (generated host and client keys), `ssh -R` forwarding a port to the origin
// and the native clients: curl (downloads) and wrk (small requests). Missing Debian packages are installed with
// apt-get when we may (root); otherwise the peer is skipped with a message.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../lib/hub.mjs';

const PACKAGES = { nginx: 'nginx-light', sshd: 'openssh-server', ssh: 'openssh-client', wrk: 'wrk', curl: 'curl' };
const BIN = { nginx: '/usr/sbin/nginx', sshd: '/usr/sbin/sshd' };

const which = (cmd) => {
  const r = spawnSync(
    'sh',
    ['-c', `command -v ${cmd} || test -x ${BIN[cmd] ?? '/nonexistent'} && echo ${BIN[cmd] ?? ''}`],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : null;
};

/** Paths of the tools, installing missing ones with apt-get when running as root; null = skipped (said why). */
export function ensureTools(say) {
  const out = {};
  const missing = Object.keys(PACKAGES).filter((c) => !(out[c] = which(c)));
  if (missing.length && process.getuid?.() === 0) {
    const pkgs = [...new Set(missing.map((c) => PACKAGES[c]))];
    say(`installing ${pkgs.join(' ')} with apt-get`);
    const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 240_000,
    });
    if (r.status !== 0) say(`apt-get install ${pkgs.join(' ')} failed (${r.status ?? r.signal})`);
    for (const c of missing) out[c] = which(c);
  }
  for (const c of Object.keys(PACKAGES)) {
    if (!out[c]) say(`${c} not found (Debian package ${PACKAGES[c]}): the peers that need it are skipped`);
  }
  return out;
}

function daemon(cmd, args, opts = {}) {
  const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  let err = '';
  c.stderr?.on('data', (d) => {
    err = (err + d).slice(-4000);
  });
  return {
    child: c,
    pid: c.pid,
    err: () => err,
    stop: () => {
      if (c.exitCode === null) c.kill('SIGTERM');
    },
  };
}

async function waitPort(port, ms = 10_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      await fetch(`http://127.0.0.1:${port}/small`);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}

/** nginx serving `dir` (files `big`, `small`) on one port and proxying to itself on another. */
export async function startNginx(bin, root, dir) {
  const direct = await freePort();
  const hop = await freePort();
  const conf = join(root, 'nginx.conf');
  // the bench's temp dir is private: the worker runs as us (as root nginx would drop to nobody)
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? 'user root;' : ''} worker_processes 1; daemon off; pid ${root}/nginx.pid; error_log ${root}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000; keepalive_timeout 60;
  client_body_temp_path ${root}/nb; proxy_temp_path ${root}/np; fastcgi_temp_path ${root}/nf; uwsgi_temp_path ${root}/nu; scgi_temp_path ${root}/ns;
  default_type application/octet-stream;
  server { listen 127.0.0.1:${direct}; root ${dir}; location / { } }
  upstream origin { server 127.0.0.1:${direct}; keepalive 64; }
  server { listen 127.0.0.1:${hop}; location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; } }
}
`,
  );
  const d = daemon(bin, ['-c', conf, '-p', root]);
  if (!(await waitPort(direct)) || !(await waitPort(hop))) throw new Error(`nginx did not start: ${d.err()}`);
  // one worker serves both ports: its pid is the one doing the work (the master only forks)
  return { ...d, direct, hop };
}

/** A throwaway sshd on a high port and `ssh -R` forwarding a loopback port to `targetPort` (aes128-gcm). */
export async function startSshTunnel(tools, root, targetPort) {
  const k = join(root, 'ssh');
  mkdirSync(k, { recursive: true, mode: 0o700 });
  for (const [f, t] of [
    ['host', 'ed25519'],
    ['client', 'ed25519'],
  ]) {
    const r = spawnSync('ssh-keygen', ['-q', '-t', t, '-N', '', '-f', join(k, f)]);
    if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  }
  writeFileSync(join(k, 'authorized_keys'), spawnSync('cat', [join(k, 'client.pub')], { encoding: 'utf8' }).stdout);
  chmodSync(join(k, 'authorized_keys'), 0o600);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir sshd insists on
  const port = await freePort();
  const fwd = await freePort();
  writeFileSync(
    join(k, 'sshd_config'),
    `Port ${port}
ListenAddress 127.0.0.1
HostKey ${k}/host
PidFile ${k}/sshd.pid
AuthorizedKeysFile ${k}/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AllowTcpForwarding yes
Ciphers aes128-gcm@openssh.com
Compression no
`,
  );
  const sshd = daemon(tools.sshd, ['-D', '-e', '-f', join(k, 'sshd_config')]);
  await new Promise((r) => setTimeout(r, 400));
  const user = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  const ssh = daemon(tools.ssh, [
    '-N',
    '-p',
    String(port),
    '-i',
    join(k, 'client'),
    '-c',
    'aes128-gcm@openssh.com',
    '-o',
    'Compression=no',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    `UserKnownHostsFile=${k}/known_hosts`,
    '-o',
    'ExitOnForwardFailure=yes',
    '-o',
    'BatchMode=yes',
    '-R',
    `127.0.0.1:${fwd}:127.0.0.1:${targetPort}`,
    `${user}@127.0.0.1`,
  ]);
  if (!(await waitPort(fwd))) throw new Error(`ssh -R did not come up: ${ssh.err()} ${sshd.err()}`);
  // the forwarded connections are served by the session's sshd child: find it for its CPU
  const kids = spawnSync('pgrep', ['-P', String(sshd.pid)], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .filter(Boolean)
    .map(Number);
  return {
    port: fwd,
    pids: { sshd: kids[0] ?? sshd.pid, ssh: ssh.pid },
    stop: () => {
      ssh.stop();
      sshd.stop();
    },
  };
}

/** curl download to /dev/null: Gbit/s. */
export function curlGet(curl, url, headers = {}) {
  return new Promise((resolve, reject) => {
    const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
    const c = spawn(curl, ['-s', '-f', '-o', '/dev/null', '-w', '%{size_download} %{time_total}', ...h, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`curl ${url} exited ${code}`));
      const [bytes, secs] = out.trim().split(' ').map(Number);
      resolve({ bytes, seconds: secs, gbps: +((bytes * 8) / secs / 1e9).toFixed(2) });
    });
  });
}

/** wrk: {rps, requests, p50ms, p99ms, non2xx, errors}. */
export function wrkRun(wrk, url, { threads = 2, conns = 32, seconds = 10, headers = {} } = {}) {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const r = spawnSync(wrk, ['-t', String(threads), '-c', String(conns), '-d', `${seconds}s`, '--latency', ...h, url], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  const o = r.stdout ?? '';
  const ms = (label) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(o);
    if (!m) return null;
    return +(Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]]).toFixed(2);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(o)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(o)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(o)?.[1] ?? 0);
  const errs = /Socket errors: (.*)/.exec(o)?.[1] ?? null;
  return {
    rps: Math.round(rps),
    requests,
    p50ms: ms('50'),
    p99ms: ms('99'),
    non2xx,
    socketErrors: errs,
    raw: r.status === 0 ? undefined : (r.stderr || o).slice(-500),
  };
}
