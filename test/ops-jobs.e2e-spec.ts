import { SchedulerRegistry } from '@nestjs/schedule';
import { createTestHub } from './helpers/hub.js';
import { REAP_INTERVAL_MS } from '../src/servers/reaper.service.js';
import { TUNNEL_RECHECK_MS } from '../src/servers/tunnel-revocation.service.js';

/** The hub's periodic jobs run from @nestjs/schedule's SchedulerRegistry: listed, unref'd, stopped on close. */
const JOBS = [
  'servers.reaper',
  'servers.tunnel-recheck',
  'relay.usage-flush',
  'relay.lease-refresh',
  'relay.tunnel-heartbeat',
  'relay.tunnel-reap',
  'relay.stream-tick',
  'relay.channel-ping',
  'relay.lease-sync',
  'relay.limits-reconcile',
  'relay.request-rate-sync',
  'relay.media-links',
  'relay.remote-changes',
  'relay.share-expiry',
];

test("every periodic hub job is in the SchedulerRegistry, unref'd, with its configured period; close() stops them all", async () => {
  const hub = await createTestHub({ env: { HUB_RELAY_HEARTBEAT_INTERVAL: '7', HUB_RELAY_REAP_INTERVAL: '11' } });
  const reg = hub.get(SchedulerRegistry);
  try {
    expect(reg.getIntervals().sort()).toEqual([...JOBS].sort());
    // audit retention plans its next run when the last one ends: a timeout
    expect(reg.getTimeouts()).toEqual(['audit.retention']);
    for (const name of reg.getIntervals()) expect(reg.getInterval(name).hasRef()).toBe(false);
    expect(reg.getTimeout('audit.retention').hasRef()).toBe(false);
    const period = (name: string) => (reg.getInterval(name) as unknown as { _idleTimeout: number })._idleTimeout;
    expect(period('servers.reaper')).toBe(REAP_INTERVAL_MS);
    expect(period('servers.tunnel-recheck')).toBe(TUNNEL_RECHECK_MS);
    expect(period('relay.tunnel-heartbeat')).toBe(7000);
    expect(period('relay.tunnel-reap')).toBe(11_000);
  } finally {
    await hub.close();
  }
  expect(reg.getIntervals()).toEqual([]);
  expect(reg.getTimeouts()).toEqual([]);
});
