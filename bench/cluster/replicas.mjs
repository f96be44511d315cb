// Cluster pieces of bench/cluster.mjs: a throwaway MariaDB database, replicas (`node <npm start flags> dist/main.js`)
// in cluster mode on it and the machine's Redis (keys apart by a unique HUB_ID), agents of bench/relay/children.mjs,
// and the clean-up of all of it (database dropped, Redis keys deleted).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';
import { freePort } from '../lib/hub.mjs';
import { startRelayHub } from '../relay/hub.mjs';

/** A fresh database on the MariaDB server at `serverUrl` (mysql://root@127.0.0.1:3306); drop() removes it. */
export async function createDatabase(serverUrl) {
  const name = `phlix_bench_cluster_${randomBytes(4).toString('hex')}`;
  const c = await mysql.createConnection({ uri: serverUrl.replace(/^mariadb:/, 'mysql:') });
  await c.query(`CREATE DATABASE \`${name}\``);
  await c.end();
  return {
    name,
    url: `${serverUrl.replace(/\/+$/, '')}/${name}`,
    async drop() {
      const d = await mysql.createConnection({ uri: serverUrl.replace(/^mariadb:/, 'mysql:') });
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

/** Delete every Redis key of this hub id (the replicas' prefix is phlix:<HUB_ID>:<database>:). */
export async function dropRedisKeys(redisUrl, hubId) {
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `phlix:${hubId}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) n += await r.del(...keys);
  } while (cursor !== '0');
  r.disconnect();
  return n;
}

/**
 * `names.length` replicas on one database, one data dir (the same signing keys) and Redis, started one after the
 * other (each runs the migrations check under the database lock). `env` is added to every replica's environment.
 */
export async function startReplicas({ names, dataDir, dbUrl, redisUrl, hubId, env, nodeArgs }) {
  const secret = randomBytes(24).toString('hex');
  const out = [];
  for (const name of names) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const hub = await startRelayHub({
      dataDir,
      port,
      nodeArgs,
      env: {
        DB_URL: dbUrl,
        HUB_ID: hubId,
        HUB_REDIS_URL: redisUrl,
        HUB_CLUSTER_SECRET: secret,
        HUB_NODE_URL: url,
        HUB_RELAY_NODE: name,
        ...env,
      },
    });
    out.push({ name, ...hub });
  }
  return out;
}

/** A role of bench/relay/children.mjs (origin, agents) in a child process; resolves with its ready line. */
export async function startRole(role, args, track) {
  const c = spawn(process.execPath, [new URL('../relay/children.mjs', import.meta.url).pathname, role, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(c);
  let err = '';
  c.stderr.on('data', (d) => {
    err = (err + d).slice(-4000);
  });
  const ready = await new Promise((resolve, reject) => {
    createInterface({ input: c.stdout }).once('line', (l) => resolve(JSON.parse(l)));
    c.once('exit', (code) => reject(new Error(`${role} exited ${code}: ${err}`)));
  });
  const exited = new Promise((r) => c.once('exit', r));
  return {
    ...ready,
    pid: c.pid,
    err: () => err,
    async stop() {
      if (c.exitCode === null) c.kill('SIGTERM');
      await exited;
    },
  };
}

/** Relay agents (dist/agent, one tunnel per server) connected to `hubUrl`; resolves once every tunnel is up. */
export async function startAgents({ dataDir, label, hubUrl, originUrl, servers, track }) {
  const file = join(dataDir, `agents-${label}.json`);
  writeFileSync(file, JSON.stringify({ hub: hubUrl, origin: originUrl, servers }));
  const a = await startRole('agents', [file], track);
  if (!a.ready) throw new Error(`agents ${label}: ${a.up}/${a.agents} tunnels up: ${a.err()}`);
  return a;
}
