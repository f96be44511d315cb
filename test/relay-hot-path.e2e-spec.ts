import type { TestHub, TestUser } from './helpers/hub.js';
import type { PairedServer } from './helpers/servers.js';
import { proxyUrl, rawRequest, sleep, waitFor } from './helpers/relay.js';
import { openUnread } from './helpers/http-streams.js';
import { LEASE_WRITE_MS, StreamLeasesService } from '../src/relay/limits/stream-leases.service.js';
import { ownerRelay, type OwnerRelay } from './helpers/owner-relay.js';

/** The steady state of relayed requests: served from memory, no database round trip per request. */
let hub: TestHub;
let owner: TestUser;
let server: PairedServer;

let setup: OwnerRelay;
beforeAll(async () => {
  ({ hub, owner, server } = setup = await ownerRelay({ HUB_RELAY_REQUEST_LIMIT: '0' }));
});
afterAll(() => setup.close());

const leaseRows = async () => Number((await hub.ds.query('SELECT COUNT(*) AS n FROM relay_stream_leases'))[0].n);
const leases = () => hub.get(StreamLeasesService);

/** Every SQL statement the hub sends while `fn` runs (which sees the list grow), with when it was sent. */
async function timedQueriesDuring(
  fn: (seen: { sql: string; at: number }[]) => Promise<void>,
): Promise<{ sql: string; at: number }[]> {
  const logger = hub.ds.logger;
  const orig = logger.logQuery.bind(logger);
  const seen: { sql: string; at: number }[] = [];
  logger.logQuery = (q, p, r) => {
    seen.push({ sql: q, at: performance.now() });
    return orig(q, p, r);
  };
  try {
    await fn(seen);
  } finally {
    logger.logQuery = orig;
  }
  return seen;
}

const queriesDuring = async (fn: () => Promise<void>) => (await timedQueriesDuring(() => fn())).map((q) => q.sql);
const isLeaseInsert = (sql: string) => /INSERT INTO relay_stream_leases/.test(sql);

const get = (path: string) => rawRequest(proxyUrl(hub, server.serverId, path), { headers: owner.auth });

test('a long stream gets its lease row after LEASE_WRITE_MS; the end of one does not write the leases of young streams', async () => {
  const a = await openUnread(proxyUrl(hub, server.serverId, '/slow/hot-a'), owner.auth);
  await waitFor(async () => (await leaseRows()) === 1, 3000, 'the long stream written');
  let bAt = 0;
  const seen = await timedQueriesDuring(async (sofar) => {
    bAt = performance.now(); // B's lease starts after this
    const b = await openUnread(proxyUrl(hub, server.serverId, '/slow/hot-b'), owner.auth);
    a.destroy(); // the row of A goes at once, and B is younger than LEASE_WRITE_MS then
    await waitFor(async () => sofar.some((q) => isLeaseInsert(q.sql)) && (await leaseRows()) === 1, 3000, 'B written');
    b.destroy();
  });
  const inserts = seen.filter((q) => isLeaseInsert(q.sql)).map((q) => q.at);
  expect(inserts).toHaveLength(1);
  // B's row was written when B had lived LEASE_WRITE_MS, not along with A's DELETE
  expect(inserts[0]! - bAt).toBeGreaterThanOrEqual(LEASE_WRITE_MS - 2);
  await waitFor(async () => leases().localCount === 0 && (await leaseRows()) === 0, 3000, 'B gone');
});

test('200 short requests, 10 at a time, while long streams come and go: no lease row, no query per request', async () => {
  const long = await openUnread(proxyUrl(hub, server.serverId, '/slow/hot-long'), owner.auth);
  await waitFor(async () => (await leaseRows()) === 1, 3000, 'the long stream written');
  const seen = await queriesDuring(async () => {
    for (let wave = 0; wave < 20; wave++) {
      if (wave === 5) long.destroy(); // a written lease ends while short requests are in flight
      const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => get(`/echo?w=${wave}&i=${i}`)));
      expect(rs.map((r) => r.status)).toEqual(Array(10).fill(200));
    }
  });
  // none of the short requests lives LEASE_WRITE_MS (one may, on a box too busy to answer in time)
  expect(seen.filter(isLeaseInsert).length).toBeLessThanOrEqual(1);
  expect(seen.filter((q) => /DELETE FROM relay_stream_leases/.test(q)).length).toBeLessThanOrEqual(2); // the long stream's
  // the rest is time-bound, not per request: lease sync twice a second, and the admission cache
  // reading a user, an access decision and a profile again as entries age (one load per key, however
  // many requests miss together; entries last 100 ms under the test clock)
  const perStatement = new Map<string, number>();
  for (const q of seen) perStatement.set(q, (perStatement.get(q) ?? 0) + 1);
  expect(Math.max(...perStatement.values())).toBeLessThan(40);
  expect(seen.length).toBeLessThan(200);
  await waitFor(async () => leases().localCount === 0 && (await leaseRows()) === 0, 3000, 'all released');
});

test('requests that miss the admission cache together share one load per key', async () => {
  await get('/echo?warm');
  await sleep(150); // every entry has aged out (the test clock stands still: entries last 100 ms)
  // during the burst the clock follows real time, so what is loaded stays fresh for the TTL however slow the box
  const base = hub.clock.now();
  const t0 = performance.now();
  const clock = hub.clock;
  clock.now = () => base + Math.round(performance.now() - t0);
  let seen: string[];
  try {
    seen = await queriesDuring(async () => {
      const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => get(`/echo?together=${i}`)));
      expect(rs.map((r) => r.status)).toEqual(Array(10).fill(200));
    });
  } finally {
    delete (clock as Partial<typeof clock>).now; // the class's own now() again
    clock.set(base);
  }
  const count = (re: RegExp) => seen.filter((q) => re.test(q)).length;
  // one load each for the origin profile (the server's capabilities, its libraries) and the access
  // decision (the server and its owner); ten requests loading on their own send several of each
  expect(count(/FROM ["`]server_libraries["`]/)).toBe(1);
  expect(count(/["`]Server_capabilities["`] FROM/)).toBe(1);
  expect(count(/["`]Server_owner_id["`], ["`]Server["`]\.["`]name["`]/)).toBe(1);
});
