import { request as httpRequest } from 'node:http';
import type { TestHub, TestUser } from './helpers/hub.js';
import type { PairedServer } from './helpers/servers.js';
import { proxyUrl, rawRequest, sleep, waitFor } from './helpers/relay.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { RelayPresence } from '../src/common/relay-presence.js';
import { ownerRelay, type OwnerRelay } from './helpers/owner-relay.js';

/**
 * http_requests_in_flight{kind="relay_proxy"} goes back to 0 on every end of a relayed request,
 * client aborts included: graceful shutdown waits on it (and on the open streams), so a leak
 * made an idle hub wait out the whole drain time.
 */
let hub: TestHub;
let owner: TestUser;
let server: PairedServer;

let setup: OwnerRelay;
beforeAll(async () => {
  ({ hub, owner, server } = setup = await ownerRelay());
});
afterAll(() => setup.close());

const inFlight = () => hub.get(MetricsService).inFlight();
const idle = () => inFlight().stream === 0 && inFlight().api === 0 && hub.get(RelayPresence).activeStreams() === 0;

/** GET through the relay; `abortWhen` decides when the client hangs up. */
function abortedRequest(path: string, abortWhen: 'head' | 'body' | 'before-head'): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(proxyUrl(hub, server.serverId, path), { headers: owner.auth, agent: false }, (res) => {
      if (abortWhen === 'head') return void req.destroy();
      res.once('data', () => req.destroy());
    });
    req.on('error', () => undefined);
    req.on('close', () => resolve());
    if (abortWhen === 'before-head') setTimeout(() => req.destroy(), 300);
    req.end();
  });
}

test.each(['body', 'head', 'before-head'] as const)(
  'a client aborting a relayed response (%s) leaves the relay in-flight gauge at 0',
  async (when) => {
    expect(inFlight().stream).toBe(0);
    await abortedRequest(when === 'before-head' ? '/hang' : '/huge?mib=32', when);
    await waitFor(() => hub.get(RelayPresence).activeStreams() === 0, 5000, 'the stream to end');
    await sleep(100);
    expect(inFlight().stream).toBe(0);
  },
);

test('after aborted streams the hub is idle for the shutdown drain (nothing in flight, no open stream)', async () => {
  await Promise.all([
    abortedRequest('/huge?mib=32', 'body'),
    abortedRequest('/huge?mib=32', 'body'),
    abortedRequest('/hang', 'before-head'),
  ]);
  const ok = await rawRequest(proxyUrl(hub, server.serverId, '/echo'), { headers: owner.auth });
  expect(ok.status).toBe(200);
  // the drain loop in main.ts stops waiting as soon as this holds
  await waitFor(idle, 3000, 'an idle hub');
  expect(inFlight()).toEqual({ api: 0, stream: 0 });
});
