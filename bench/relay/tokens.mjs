// Access tokens for the bench's users, signed with the hub's own key (like a sign-in would), so the measured hub
// process does no argon2 password checks (19 MiB each) that would blur its memory figures.
import Database from 'better-sqlite3';
import { join } from 'node:path';

const dist = (p) => new URL(`../../dist/${p}`, import.meta.url).href;

export async function mintAccessTokens(dataDir, usernames, ttlSeconds = 7200) {
  const { loadConfig } = await import(dist('config/config.js'));
  const { KeysService } = await import(dist('auth/keys.service.js'));
  const { Clock } = await import(dist('common/clock.js'));
  const { signAccessToken } = await import(dist('auth/tokens.service.js'));
  const cfg = loadConfig({ HUB_DATA_DIR: dataDir, HUB_LOG_LEVEL: 'silent', HUB_PUBLIC_URL: 'http://127.0.0.1:8800' });
  const keys = new KeysService(cfg, new Clock());
  await keys.onModuleInit();
  const db = new Database(join(dataDir, 'hub.sqlite'), { readonly: true });
  try {
    const out = {};
    const q = db.prepare(
      'SELECT id, username, is_admin AS isAdmin, linked_hub_id AS linkedHubId FROM users WHERE username = ?',
    );
    for (const u of usernames) {
      const row = q.get(u);
      if (!row) throw new Error(`no user ${u}`);
      out[u] = await signAccessToken(keys, { ...row, isAdmin: !!row.isAdmin }, ttlSeconds);
    }
    return out;
  } finally {
    db.close();
  }
}
