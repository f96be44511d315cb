import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { registerAdmin, registerUser, type TestHub, type TestUser } from './helpers/hub.js';
import { pairServer, type PairedServer } from './helpers/servers.js';
import { rawRequest, relayHub, startAgent, waitFor, proxyUrl } from './helpers/relay.js';
import { sha256, startTestOrigin, VIDEO, type TestOrigin } from './helpers/relay-origin.js';
import { share } from './helpers/sharing-fixtures.js';
import type { RelayAgent } from '../src/agent/relay-agent.js';
import { StreamLeasesService } from '../src/relay/limits/stream-leases.service.js';

const MIB = 1024 * 1024;
let hub: TestHub;
let admin: TestUser;
let owner: TestUser;
let origin: TestOrigin;
let server: PairedServer;
const agents: RelayAgent[] = [];

beforeAll(async () => {
  hub = await relayHub();
  admin = await registerAdmin(hub);
  owner = await registerUser(hub);
  origin = await startTestOrigin();
  server = await pairServer(hub, owner);
  agents.push(await startAgent(hub, server, origin.url));
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub.close();
  await origin.close();
});

const proxy = (s: PairedServer, path: string) => proxyUrl(hub, s.serverId, path);
const bandwidth = async (u: TestUser) => (await hub.http().get('/api/v1/me/bandwidth').set(u.auth).expect(200)).body;

/** A grantee of the whole server (download), with their own limits. */
async function grantee(
  limits: { quota?: [number | null, number | null, number | null]; throttle?: number } = {},
): Promise<TestUser> {
  const u = await registerUser(hub);
  await share(hub, owner, {
    server_id: server.serverId,
    library_id: null,
    username: u.username,
    permission: 'download',
  });
  if (limits.quota) {
    const [quota_bytes_in, quota_bytes_out, max_concurrent_streams] = limits.quota;
    await hub
      .http()
      .put(`/api/v1/admin/users/${u.id}/quota`)
      .set(admin.auth)
      .send({ quota_bytes_in, quota_bytes_out, max_concurrent_streams })
      .expect(200);
  }
  if (limits.throttle !== undefined) {
    await hub
      .http()
      .put(`/api/v1/admin/users/${u.id}/throttle`)
      .set(admin.auth)
      .send({ throttle_bps: limits.throttle })
      .expect(200);
  }
  return u;
}

/** A user who owns a server of their own (behind its own agent): the only way to upload arbitrary bodies. */
async function ownerOfOwn(limits: {
  quota?: [number | null, number | null, number | null];
  throttle?: number;
}): Promise<{ u: TestUser; s: PairedServer }> {
  const u = await registerUser(hub);
  const s = await pairServer(hub, u);
  agents.push(await startAgent(hub, s, origin.url));
  if (limits.quota) {
    const [quota_bytes_in, quota_bytes_out, max_concurrent_streams] = limits.quota;
    await hub
      .http()
      .put(`/api/v1/admin/users/${u.id}/quota`)
      .set(admin.auth)
      .send({ quota_bytes_in, quota_bytes_out, max_concurrent_streams })
      .expect(200);
  }
  if (limits.throttle !== undefined) {
    await hub
      .http()
      .put(`/api/v1/admin/users/${u.id}/throttle`)
      .set(admin.auth)
      .send({ throttle_bps: limits.throttle })
      .expect(200);
  }
  return { u, s };
}

/** GET that reports how far it got, even when the hub cuts it. */
function download(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number; complete: boolean; body: Buffer; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const req = httpRequest(url, { headers, agent: false }, (res: IncomingMessage) => {
      let done = false;
      const finish = (complete: boolean) => {
        if (done) return;
        done = true;
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, complete, body, ms: Date.now() - t0 });
      };
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(res.complete));
      res.on('error', () => finish(false));
      res.on('close', () => finish(res.complete));
    });
    req.on('error', () =>
      resolve({ status: 0, bytes: 0, complete: false, body: Buffer.alloc(0), ms: Date.now() - t0 }),
    );
    req.end();
  });
}

/** Open a stream that stays open (origin /slow) until `close()` is called. */
function openSlow(u: TestUser, id: string): Promise<{ status: number; code?: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(proxy(server, `/slow/${id}`), { headers: u.auth, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(b).code, close: () => undefined }));
        return;
      }
      res.once('data', () => resolve({ status: 200, close: () => req.destroy() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('usage metering', () => {
  test('streamed bytes are counted both ways, per server, durable in the database', async () => {
    const before = await bandwidth(owner);
    const r = await rawRequest(proxy(server, '/video.mp4'), { headers: owner.auth });
    expect(sha256(r.body)).toBe(sha256(VIDEO));
    const body = randomBytes(MIB + 123);
    const up = await rawRequest(proxy(server, '/upload'), {
      method: 'POST',
      headers: { ...owner.auth, 'content-type': 'application/octet-stream' },
      body,
    });
    expect(JSON.parse(up.body.toString()).bytes).toBe(body.length);
    const after = await bandwidth(owner);
    const upReply = up.body.length;
    expect(after.bytes_in - before.bytes_in).toBe(VIDEO.length + upReply);
    expect(after.bytes_out - before.bytes_out).toBe(body.length);
    expect(after.servers).toEqual([
      {
        server_id: server.serverId,
        server_name: expect.any(String),
        bytes_in: after.bytes_in,
        bytes_out: after.bytes_out,
      },
    ]);
    const rows: { bytes_in: unknown; bytes_out: unknown }[] = await hub.ds.query(
      'SELECT bytes_in, bytes_out FROM relay_usage WHERE user_id = ? AND server_id = ?',
      [owner.id, server.serverId],
    );
    expect(rows.map((x) => [Number(x.bytes_in), Number(x.bytes_out)])).toEqual([[after.bytes_in, after.bytes_out]]);
  });
});

describe('quota', () => {
  test('a download that crosses the monthly quota is cut; then 503 relay.quota_exceeded with Retry-After; uploads too', async () => {
    const u = await grantee({ quota: [MIB, 64 * 1024, null] });
    const first = await download(proxy(server, '/video.mp4'), u.auth);
    expect(first.status).toBe(200);
    expect(first.complete).toBe(false);
    expect(first.bytes).toBeGreaterThan(MIB);
    expect(first.bytes).toBeLessThan(VIDEO.length);
    const r = await rawRequest(proxy(server, '/echo'), { headers: u.auth });
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body.toString()).code).toBe('relay.quota_exceeded');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(origin.requests.filter((q) => q.headers['x-phlix-relay-user'] === u.id)).toHaveLength(1); // nothing reached the server
    // the upload quota only refuses requests that upload
    const { u: v, s } = await ownerOfOwn({ quota: [0, 64 * 1024, null] });
    const up = await rawRequest(proxy(s, '/upload'), { method: 'POST', headers: v.auth, body: randomBytes(40 * 1024) });
    expect(up.status).toBe(200);
    // crosses the quota while uploading: cut before the server answered
    const over = await rawRequest(proxy(s, '/upload'), {
      method: 'POST',
      headers: v.auth,
      body: randomBytes(40 * 1024),
    });
    expect([over.status, JSON.parse(over.body.toString()).code]).toEqual([503, 'relay.quota_exceeded']);
    const again = await rawRequest(proxy(s, '/upload'), { method: 'POST', headers: v.auth, body: Buffer.from('x') });
    expect([again.status, JSON.parse(again.body.toString()).code]).toEqual([503, 'relay.quota_exceeded']);
    expect((await rawRequest(proxy(s, '/echo'), { headers: v.auth })).status).toBe(200);
  });

  test('a new month starts a new quota; the limit itself stays', async () => {
    const u = await grantee({ quota: [MIB, null, null] });
    await download(proxy(server, '/video.mp4'), u.auth);
    expect((await rawRequest(proxy(server, '/echo'), { headers: u.auth })).status).toBe(503);
    const t0 = hub.clock.now();
    hub.clock.set(Date.UTC(2026, 1, 1, 0, 0, 5)); // access tokens are 15 min: sign in again
    try {
      const { TokensService } = await import('../src/auth/tokens.service.js');
      const { UsersService } = await import('../src/users/users.service.js');
      const s = await hub.get(TokensService).issue(await hub.get(UsersService).getById(u.id));
      const r = await rawRequest(proxy(server, '/echo'), { headers: { Authorization: `Bearer ${s.access_token}` } });
      expect(r.status).toBe(200);
      const bw = (
        await hub
          .http()
          .get('/api/v1/me/bandwidth')
          .set({ Authorization: `Bearer ${s.access_token}` })
          .expect(200)
      ).body;
      expect([bw.period, bw.quota_bytes_in]).toEqual(['2026-02', MIB]);
      expect(bw.bytes_in).toBeLessThan(MIB);
    } finally {
      hub.clock.set(t0);
    }
  });
});

describe('stream limits', () => {
  test('per-user max concurrent streams → 503 relay.stream_limit; a slot frees when a stream ends', async () => {
    const u = await grantee({ quota: [null, null, 2] });
    const a = await openSlow(u, 'lim-a');
    const b = await openSlow(u, 'lim-b');
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await openSlow(u, 'lim-c');
    expect([c.status, c.code]).toEqual([503, 'relay.stream_limit']);
    expect((await bandwidth(u)).active_streams).toBe(2);
    const other = await openSlow(owner, 'lim-owner'); // someone else is not affected
    expect(other.status).toBe(200);
    a.close();
    await waitFor(async () => (await bandwidth(u)).active_streams === 1, 5000, 'the lease to be released');
    const d = await openSlow(u, 'lim-d');
    expect(d.status).toBe(200);
    for (const s of [b, d, other]) s.close();
    await waitFor(() => hub.get(StreamLeasesService).localCount === 0, 5000, 'all leases released');
  });
});

describe('pacing (throttle applied by pausing reads, nothing dropped)', () => {
  test('a per-user throttle slows a download to about its rate and every byte arrives', async () => {
    const fast = await download(proxy(server, '/video.mp4'), owner.auth);
    const u = await grantee({ throttle: 8_000_000 }); // 1 MB/s, 1 s of burst
    const slow = await download(proxy(server, '/video.mp4'), u.auth);
    expect(slow.complete).toBe(true);
    expect(sha256(slow.body)).toBe(sha256(VIDEO));
    // 4 MiB = 4.19 MB: ~1 MB burst, then ≥ 3 s at 1 MB/s; loose bounds (no tight timing)
    expect(slow.ms).toBeGreaterThan(2000);
    expect(slow.ms).toBeLessThan(20000);
    expect(slow.ms).toBeGreaterThan(fast.ms);
  });

  test("the throttle is shared by the user's streams", async () => {
    const u = await grantee({ throttle: 16_000_000 }); // 2 MB/s for everything the user moves
    const t0 = Date.now();
    const [a, b] = await Promise.all([
      download(proxy(server, '/video.mp4'), u.auth),
      download(proxy(server, '/video.mp4'), u.auth),
    ]);
    const both = Date.now() - t0;
    expect([a.complete, b.complete]).toEqual([true, true]);
    expect(both).toBeGreaterThan(2000); // 8.4 MB at 2 MB/s, minus a 2 MB burst
  });

  test('uploads are paced too (the request body waits; every byte arrives)', async () => {
    const { u, s } = await ownerOfOwn({ throttle: 16_000_000 });
    const body = randomBytes(6 * MIB);
    const t1 = Date.now();
    const up = await rawRequest(proxy(s, '/upload'), { method: 'POST', headers: u.auth, body });
    expect(JSON.parse(up.body.toString())).toEqual({ bytes: body.length, sha256: sha256(body) });
    expect(Date.now() - t1).toBeGreaterThan(1500); // 6.3 MB at 2 MB/s after a 2 MB burst
  });
});
