// Access tokens for the bench's users, signed with the hub's own key (like a sign-in would), so the measured hub
// process does no argon2 password checks (19 MiB each) that would blur its memory figures.
// The users are read from <dataDir>/hub.sqlite, or from `dbUrl` (MySQL/MariaDB) when given.
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { join } from 'node:path';

const dist = (p) => new URL(`../../dist/${p}`, import.meta.url).href;

const USER_ROW = 'SELECT id, username, is_admin AS isAdmin, linked_hub_id AS linkedHubId FROM users WHERE username = ?';

/** A `username → row` lookup on the bench's database, and its close. */
async function userLookup(dataDir, dbUrl) {
  if (dbUrl) {
    const c = await mysql.createConnection({ uri: dbUrl.replace(/^mariadb:/, 'mysql:') });
    return { get: async (u) => (await c.query(USER_ROW, [u]))[0][0], close: () => c.end() };
  }
  const db = new Database(join(dataDir, 'hub.sqlite'), { readonly: true });
  const q = db.prepare(USER_ROW);
  return { get: async (u) => q.get(u), close: async () => db.close() };
}

export async function mintAccessTokens(dataDir, usernames, ttlSeconds = 7200, { dbUrl, hubId } = {}) {
  const { loadConfig } = await import(dist('config/config.js'));
  const { KeysService } = await import(dist('auth/keys.service.js'));
  const { Clock } = await import(dist('common/clock.js'));
  const { signAccessToken } = await import(dist('auth/tokens.service.js'));
  const cfg = loadConfig({
    HUB_DATA_DIR: dataDir,
    HUB_LOG_LEVEL: 'silent',
    HUB_PUBLIC_URL: 'http://127.0.0.1:8800',
    ...(hubId ? { HUB_ID: hubId } : {}),
  });
  const keys = new KeysService(cfg, new Clock());
  await keys.onModuleInit();
  const db = await userLookup(dataDir, dbUrl);
  try {
    const out = {};
    for (const u of usernames) {
      const row = await db.get(u);
      if (!row) throw new Error(`no user ${u}`);
      out[u] = await signAccessToken(keys, { ...row, isAdmin: !!row.isAdmin }, ttlSeconds);
    }
    return out;
  } finally {
    await db.close();
  }
}
