#!/usr/bin/env node
// Fill a hub database with a synthetic fleet (bench only; never a route of the hub).
//   node bench/seed.mjs --size small --data-dir /tmp/b1                     (SQLite in the data dir)
//   node bench/seed.mjs --size large --data-dir /tmp/b2 --db-url mysql://root@127.0.0.1:3306/bench
// Sizes: small = 5 000 users / 200 servers / 20 000 shares; large = 100 000 / 4 000 / 400 000.
// Runs the hub's migrations (dist/, `npm run build` first), bulk-inserts, then writes
// <data-dir>/bench-fixture.json (user names, server ids + enrollment JWTs) for bench/run.mjs.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import { bulkInsert, openDb } from './lib/db.mjs';

export const SIZES = {
  small: { users: 5_000, servers: 200, shares: 20_000 },
  large: { users: 100_000, servers: 4_000, shares: 400_000 },
};
export const BENCH_PASSWORD = 'bench-password-1';
const LIBS_PER_SERVER = 5;
const FIXTURE_SERVERS = 4_000;
const dist = (p) => new URL(`../dist/${p}`, import.meta.url).href;

/** deterministic PRNG (mulberry32) so both databases get the same shape */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `env`: more hub settings the keys and JWTs depend on (e.g. HUB_ID, the issuer of what the hub signs). */
export async function seed({ size, dataDir, dbUrl, env = {}, log = () => {} }) {
  const n = SIZES[size];
  if (!n) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  mkdirSync(dataDir, { recursive: true });
  const { loadConfig } = await import(dist('config/config.js'));
  const { createDataSource } = await import(dist('database/data-source.js'));
  const { KeysService } = await import(dist('auth/keys.service.js'));
  const { Clock } = await import(dist('common/clock.js'));
  const { scopeKey } = await import(dist('sharing/permissions.js'));
  const { libraryHash } = await import(dist('servers/wire/heartbeat.js'));
  const { Logger } = await import('@nestjs/common');
  Logger.overrideLogger(false);
  const cfg = loadConfig({
    HUB_DATA_DIR: dataDir,
    HUB_LOG_LEVEL: 'silent',
    HUB_PUBLIC_URL: 'http://127.0.0.1:8800',
    ...(dbUrl ? { DB_URL: dbUrl } : {}),
    ...env,
  });
  const t0 = Date.now();
  const ds = createDataSource(cfg);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  const db = await openDb(dbUrl ? 'mysql' : 'sqlite', dbUrl ?? join(dataDir, 'hub.sqlite'));
  const now = Date.now();
  const rand = rng(size === 'small' ? 1 : 2);
  try {
    // users: one shared argon2id hash (same parameters as PasswordService) — hashing 100k would take minutes
    const hash = await argon2.hash(BENCH_PASSWORD, {
      type: argon2.argon2id,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    const users = Array.from({ length: n.users }, (_, i) => ({
      id: randomUUID(),
      username: `bu${i}`,
      username_lower: `bu${i}`,
      email: `bu${i}@bench.test`,
      password_hash: hash,
      display_name: `Bench User ${i}`,
      is_admin: i === 0 ? 1 : 0,
      disabled: 0,
      region: null,
      linked_hub_id: null,
      remote_user_id: null,
      created_at: now - (n.users - i) * 1000,
      updated_at: now,
    }));
    await bulkInsert(db, 'users', users);
    log(`users ${users.length} (${Date.now() - t0} ms)`);

    // servers: two per owner, owners spread over the user range; 5 libraries each
    const owners = n.servers / 2;
    const stride = Math.floor(n.users / owners);
    const keys = Keys(n.servers);
    const servers = [];
    const libs = [];
    for (let s = 0; s < n.servers; s++) {
      const ownerIdx = (s % owners) * stride + 1;
      const lib = Array.from({ length: LIBS_PER_SERVER }, (_, k) => ({ id: `lib-${k}`, name: `Library ${k}` }));
      servers.push({
        id: randomUUID(),
        owner_id: users[ownerIdx].id,
        ownerIdx,
        name: `Bench NAS ${s}`,
        version: '0.45.0',
        public_key_jwk: JSON.stringify({ keys: [keys[s].jwk] }),
        key_thumbprint: keys[s].thumbprint,
        hostname_candidates: '["192.168.1.10"]',
        capabilities: null,
        status: 'online',
        last_seen_at: now,
        enrolled_at: now,
        enrollment_jti: randomUUID(),
        enrollment_expires_at: now + 7 * 86400_000,
        subdomain: null,
        library_hash: libraryHash(lib),
        library_count: lib.length,
        released_at: null,
        created_at: now,
        updated_at: now,
      });
      for (const l of lib) {
        libs.push({
          id: randomUUID(),
          server_id: servers[s].id,
          library_id: l.id,
          library_name: l.name,
          created_at: now,
          updated_at: now,
        });
      }
    }
    await bulkInsert(db, 'servers', servers);
    await bulkInsert(db, 'server_libraries', libs);
    log(`servers ${servers.length}, libraries ${libs.length} (${Date.now() - t0} ms)`);

    // shares: shares/servers distinct grantees per server (never the owner); 20 % whole-server grants
    const per = n.shares / n.servers;
    const shares = [];
    for (const srv of servers) {
      const picked = new Set([srv.ownerIdx]);
      while (picked.size < per + 1) picked.add(Math.floor(rand() * n.users));
      picked.delete(srv.ownerIdx);
      for (const g of picked) {
        const libraryId = rand() < 0.2 ? null : `lib-${Math.floor(rand() * LIBS_PER_SERVER)}`;
        shares.push({
          id: randomUUID(),
          owner_id: srv.owner_id,
          grantee_id: users[g].id,
          server_id: srv.id,
          library_id: libraryId,
          library_name: libraryId ? `Library ${libraryId.slice(4)}` : null,
          permission: rand() < 0.5 ? 'play' : 'view',
          source: 'direct',
          invite_id: null,
          active_key: scopeKey(srv.id, users[g].id, libraryId),
          expires_at: null,
          revoked_at: null,
          revoke_reason: null,
          created_at: now,
          updated_at: now,
        });
      }
      if (shares.length >= 50_000) await bulkInsert(db, 'library_shares', shares.splice(0));
    }
    await bulkInsert(db, 'library_shares', shares);
    log(`shares ${await db.scalar('SELECT COUNT(*) FROM library_shares')} (${Date.now() - t0} ms)`);

    // enrollment JWTs signed with the hub's own key (the contract of EnrollmentService.issue)
    const keysSvc = new KeysService(cfg, new Clock());
    await keysSvc.onModuleInit();
    log(`hub key ${keysSvc.currentKid()}`);
    const fixtureServers = [];
    for (const srv of servers.slice(0, FIXTURE_SERVERS)) {
      const jwt = await keysSvc.sign(
        {
          token_use: 'enrollment',
          type: 'enrollment',
          server_id: srv.id,
          hub_base_url: cfg.http.publicUrl,
          kid: keysSvc.currentKid(),
        },
        { audience: 'server', subject: srv.id, ttlSeconds: 7 * 86400, jti: srv.enrollment_jti },
      );
      fixtureServers.push({ id: srv.id, jwt, owner: users[srv.ownerIdx].username });
    }
    const fixture = {
      size,
      counts: n,
      dbUrl: dbUrl ?? null,
      password: BENCH_PASSWORD,
      // owners (two servers each) and plain users (about shares/users received shares each)
      owners: [...new Set(servers.map((s) => users[s.ownerIdx].username))].slice(0, 200),
      users: users
        .slice(2, 202)
        .filter((_, i) => (i + 2) % stride !== 1)
        .map((u) => u.username),
      servers: fixtureServers,
      seededMs: Date.now() - t0,
    };
    writeFileSync(join(dataDir, 'bench-fixture.json'), JSON.stringify(fixture));
    log(`done in ${fixture.seededMs} ms`);
    return fixture;
  } finally {
    await db.close();
  }
}

/**
 * Server identity keys: 32 random bytes as the Ed25519 public x (the hub stores and hashes it; nothing
 * verifies with a seeded key). Not generateKeyPairSync: on Node 20.20 a tight loop of
 * generateKeyPairSync + JWK export deadlocks in a GC weak callback (KeyGenJob destructor, seen here).
 */
function Keys(count) {
  return Array.from({ length: count }, () => {
    const x = randomBytes(32).toString('base64url');
    return {
      jwk: { kty: 'OKP', crv: 'Ed25519', x, use: 'sig', alg: 'EdDSA' },
      thumbprint: createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('hex'),
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' },
      'data-dir': { type: 'string' },
      'db-url': { type: 'string' },
    },
  });
  if (!values['data-dir']) {
    process.stderr.write('usage: node bench/seed.mjs --size small|large --data-dir DIR [--db-url mysql://…/db]\n');
    process.exit(2);
  }
  const f = await seed({
    size: values.size,
    dataDir: values['data-dir'],
    dbUrl: values['db-url'],
    log: (m) => process.stderr.write(`seed: ${m}\n`),
  });
  process.stdout.write(JSON.stringify({ size: f.size, counts: f.counts, seeded_ms: f.seededMs }) + '\n');
}
