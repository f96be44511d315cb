import { registerUser } from './helpers/hub.js';
import { pairServer } from './helpers/servers.js';
import { RawTunnel, relayHub, tunnelUrl } from './helpers/relay.js';

test('handles', async () => {
  const hub = await relayHub({ HUB_RELAY_HEARTBEAT_INTERVAL: '1', HUB_RELAY_REAP_INTERVAL: '1' });
  const t = await RawTunnel.connect(tunnelUrl(hub));
  t.ws.send('hello?');
  console.log(await t.waitClose());
  await hub.close();
  await new Promise((r) => setTimeout(r, 1000));
  const hs = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const rs = (process as unknown as { _getActiveRequests(): unknown[] })._getActiveRequests();
  console.log(hs.map((h) => { const o = h as Record<string, unknown>; return o.constructor.name + ' ' + (o._idleTimeout ?? '') + ' ' + String((o as {_onTimeout?: Function})._onTimeout ?? '').slice(0, 300) + ' ' + ((o as {remotePort?: number}).remotePort ?? ''); }), rs.length);
});
