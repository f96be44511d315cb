import { loadConfig, ConfigError } from '../../config/config.js';

describe('default per-user and per-server relay stream caps (a fair share of HUB_MAX_RELAY_SESSIONS)', () => {
  test('defaults: a tenth of the hub-wide cap per user, a quarter per server', () => {
    expect(loadConfig({})).toMatchObject({ maxRelaySessions: 1000, relayUserMaxStreams: 100, relayServerMaxStreams: 250 });
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '40' })).toMatchObject({ relayUserMaxStreams: 8, relayServerMaxStreams: 16 });
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '100000' })).toMatchObject({ relayUserMaxStreams: 1000, relayServerMaxStreams: 25000 });
  });
  test('a tiny hub: the caps never go below a few streams, nor above the hub-wide cap', () => {
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '3' })).toMatchObject({ relayUserMaxStreams: 3, relayServerMaxStreams: 3 });
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '12' })).toMatchObject({ relayUserMaxStreams: 8, relayServerMaxStreams: 12 });
  });
  test('explicit values win; 0 = no cap; out of range refused', () => {
    expect(loadConfig({ HUB_RELAY_USER_MAX_STREAMS: '0', HUB_RELAY_SERVER_MAX_STREAMS: '0' })).toMatchObject({ relayUserMaxStreams: 0, relayServerMaxStreams: 0 });
    expect(loadConfig({ HUB_RELAY_USER_MAX_STREAMS: '5', HUB_RELAY_SERVER_MAX_STREAMS: '9' })).toMatchObject({ relayUserMaxStreams: 5, relayServerMaxStreams: 9 });
    expect(() => loadConfig({ HUB_RELAY_SERVER_MAX_STREAMS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUB_RELAY_USER_MAX_STREAMS: '1001' })).toThrow(ConfigError);
  });
});
