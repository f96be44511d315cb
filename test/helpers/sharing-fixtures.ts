import { randomBytes, randomUUID } from 'node:crypto';
import { KeysService } from '../../src/auth/keys.service.js';
import { TokensService } from '../../src/auth/tokens.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { TrustedHub } from '../../src/federation/entities/trusted-hub.entity.js';
import { Server } from '../../src/servers/entities/server.entity.js';
import { ServerLibrary } from '../../src/servers/entities/server-library.entity.js';
import type { TestHub, TestUser } from './hub.js';

export interface SeededServer {
  id: string;
  name: string;
  /** enrollment JWT (docs/protocol/wire.md §4) */
  token: string;
  auth: { Authorization: string };
  libraries: { libraryId: string; libraryName: string }[];
}

/**
 * Insert a claimed, online server owned by `ownerId` with the given libraries, straight through the
 * repositories, and mint its enrollment JWT exactly as the servers module does
 * (KeysService.sign + servers.enrollment_jti = jti).
 */
export async function seedServer(
  hub: TestHub,
  ownerId: string | null,
  libraries: string[] = ['Movies', 'Shows'],
): Promise<SeededServer> {
  const now = hub.clock.now();
  const id = randomUUID();
  const jti = randomUUID();
  const name = `srv-${randomBytes(3).toString('hex')}`;
  await hub.ds.getRepository(Server).insert({
    id,
    ownerId,
    name,
    version: '1.0.0',
    publicKeyJwk: '{}',
    keyThumbprint: randomBytes(32).toString('hex'),
    hostnameCandidates: '[]',
    status: 'online',
    lastSeenAt: now,
    enrolledAt: now,
    enrollmentJti: jti,
    subdomain: null,
    libraryHash: null,
    libraryCount: libraries.length,
    releasedAt: null,
    createdAt: now,
    updatedAt: now,
  });
  const libs = libraries.map((libraryName, i) => ({
    libraryId: `lib-${i + 1}-${randomBytes(2).toString('hex')}`,
    libraryName,
  }));
  for (const l of libs) {
    await hub.ds
      .getRepository(ServerLibrary)
      .insert({ id: randomUUID(), serverId: id, ...l, createdAt: now, updatedAt: now });
  }
  const token = await hub
    .get(KeysService)
    .sign(
      { token_use: 'enrollment', server_id: id, hub_base_url: hub.cfg.http.publicUrl },
      { audience: 'server', subject: id, ttlSeconds: hub.cfg.auth.enrollmentTtlSeconds, jti },
    );
  return { id, name, token, auth: { Authorization: `Bearer ${token}` }, libraries: libs };
}

/** Share through the API (asserts 201). */
export async function share(hub: TestHub, owner: TestUser, body: Record<string, unknown>) {
  const r = await hub.http().post('/api/v1/me/shares').set(owner.auth).send(body);
  if (r.status !== 201) throw new Error(`share failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function countRows(hub: TestHub, table: 'library_shares' | 'invite_links'): Promise<number> {
  const rows: { n: number | string }[] = await hub.ds.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

const PEER_HUB = 'peer-hub.example';

/** A linked (shadow) account from a trusted peer hub, signed in. */
export async function shadowUser(hub: TestHub): Promise<TestUser> {
  const peers = hub.ds.getRepository(TrustedHub);
  if (!(await peers.exists({ where: { hubId: PEER_HUB } }))) {
    const now = hub.clock.now();
    await peers.insert({
      id: randomUUID(),
      hubId: PEER_HUB,
      name: 'Peer',
      url: `https://${PEER_HUB}`,
      jwks: '{"keys":[]}',
      blocked: false,
      blockedAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }
  const username = `shadow_${randomBytes(3).toString('hex')}`;
  const u = await hub
    .get(UsersService)
    .create({ username, email: null, linkedHubId: PEER_HUB, remoteUserId: randomUUID() });
  const s = await hub.get(TokensService).issue(u);
  return {
    id: u.id,
    username,
    email: '',
    password: '',
    token: s.access_token,
    refresh: s.refresh_token,
    auth: { Authorization: `Bearer ${s.access_token}` },
  };
}

/** New access tokens (after the fake clock moved past their expiry). */
export async function reauth(hub: TestHub, ...users: TestUser[]): Promise<void> {
  for (const t of users) {
    const u = await hub.get(UsersService).getById(t.id);
    const s = await hub.get(TokensService).issue(u);
    t.token = s.access_token;
    t.auth = { Authorization: `Bearer ${s.access_token}` };
  }
}
