// The measured scenarios. Every run is bounded (duration or request count) and on 127.0.0.1.
import { createHash, randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

const PROTO = { 'accept-phlix-protocol': 'v1' };
const JSON_H = { 'content-type': 'application/json' };

function summarize(r) {
  return {
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
  };
}

/** autocannon with a per-request hook; `amount` bounds the count, `duration` the time. */
export function cannon(base, { method = 'GET', next, connections, duration, amount }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections,
        pipelining: 1,
        timeout: 30,
        ...(amount ? { amount } : { duration }),
        requests: [{ method, setupRequest: (req) => Object.assign(req, next()) }],
      },
      (err, res) => (err ? reject(err) : resolve(summarize(res))),
    );
  });
}

const rot = (list) => {
  let i = 0;
  return () => list[i++ % list.length];
};
const xff = () => `10.${(Math.random() * 250) | 0}.${(Math.random() * 250) | 0}.${((Math.random() * 250) | 0) + 1}`;

/** Log in a list of users (a few at a time): access tokens for the read benchmarks. */
export async function loginAll(base, usernames, password) {
  const tokens = [];
  for (let i = 0; i < usernames.length; i += 8) {
    const batch = await Promise.all(
      usernames.slice(i, i + 8).map(async (username) => {
        const r = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { ...JSON_H, 'x-forwarded-for': xff() },
          body: JSON.stringify({ username, password }),
        });
        if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
        return (await r.json()).access_token;
      }),
    );
    tokens.push(...batch);
  }
  return tokens;
}

export function getWithTokens(base, path, tokens, o) {
  const t = rot(tokens);
  return cannon(base, { ...o, next: () => ({ path, headers: { authorization: `Bearer ${t()}` } }) });
}

export function heartbeats(base, servers, o) {
  const s = rot(servers);
  const libraries = Array.from({ length: 5 }, (_, k) => ({ library_id: `lib-${k}`, library_name: `Library ${k}` }));
  return cannon(base, {
    ...o,
    method: 'POST',
    next: () => {
      const srv = s();
      return {
        path: `/api/v1/servers/${srv.id}/heartbeat`,
        headers: { ...JSON_H, ...PROTO, authorization: `Bearer ${srv.jwt}` },
        body: JSON.stringify({
          serverId: srv.id,
          version: '0.45.0',
          timestamp: Math.floor(Date.now() / 1000),
          uptimeSeconds: 3600,
          activeSessions: 1,
          activeTranscodes: 0,
          hostnameCandidates: ['192.168.1.10'],
          libraries,
        }),
      };
    },
  });
}

export function logins(base, usernames, password, o) {
  const u = rot(usernames);
  return cannon(base, {
    ...o,
    method: 'POST',
    next: () => ({
      path: '/api/v1/auth/login',
      headers: { ...JSON_H, 'x-forwarded-for': xff() },
      body: JSON.stringify({ username: u(), password }),
    }),
  });
}

/** A server identity key (random x: see bench/seed.mjs on the Node 20 keygen deadlock). */
function serverKey() {
  const x = randomBytes(32).toString('base64url');
  return { kty: 'OKP', crv: 'Ed25519', x, kid: createHash('sha256').update(x).digest('base64url').slice(0, 11) };
}

/**
 * The whole claim flow per iteration, as a server and its owner do it: claims/new (server) →
 * server-claims/claim (user) → poll (server receives its enrollment JWT). Flows/s and per-flow latency.
 */
export async function claimFlows(base, tokens, { connections, duration }) {
  const t = rot(tokens);
  const lat = [];
  let failed = 0;
  const end = Date.now() + duration * 1000;
  const post = (path, headers, body) =>
    fetch(base + path, { method: 'POST', headers: { ...JSON_H, ...PROTO, ...headers }, body: JSON.stringify(body) });
  const worker = async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        const ip = xff();
        const a = await post(
          '/api/v1/server-claims/new',
          { 'x-forwarded-for': ip },
          {
            serverName: `bench-${randomBytes(4).toString('hex')}`,
            version: '0.45.0',
            publicKeysJwk: { keys: [serverKey()] },
            hostnameCandidates: ['192.168.1.20'],
            protocolVersion: 'v1',
          },
        );
        if (a.status !== 200) throw new Error(`new ${a.status}`);
        const started = await a.json();
        const b = await post(
          '/api/v1/server-claims/claim',
          { authorization: `Bearer ${t()}`, 'x-forwarded-for': ip },
          { claim_code: started.claimCode },
        );
        if (b.status !== 200) throw new Error(`claim ${b.status} ${await b.text()}`);
        await b.arrayBuffer();
        const c = await fetch(`${base}/api/v1/server-claims/${started.claimId}`, {
          headers: { ...PROTO, 'x-forwarded-for': ip },
        });
        const polled = await c.json();
        if (c.status !== 200 || !polled.enrollment_jwt) throw new Error(`poll ${c.status}`);
        lat.push(performance.now() - t0);
      } catch (e) {
        failed++;
        if (failed <= 3) process.stderr.write(`claim flow failed: ${e.message}\n`);
      }
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const secs = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const pct = (p) =>
    lat.length ? +lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))].toFixed(1) : null;
  return {
    reqPerSec: Math.round(lat.length / secs),
    p50: pct(50),
    p99: pct(99),
    max: pct(100),
    total: lat.length,
    non2xx: failed,
    errors: 0,
    timeouts: 0,
    seconds: Math.round(secs),
    unit: 'flows (3 requests each)',
  };
}
