import { loadConfig, ConfigError } from '../../config/config.js';

describe('default per-user and per-server relay stream caps (a fair share of HUB_MAX_RELAY_SESSIONS)', () => {
  test('defaults: a tenth of the hub-wide cap per user, a quarter per server', () => {
    expect(loadConfig({})).toMatchObject({ relay: { maxSessions: 1000, userMaxStreams: 100, serverMaxStreams: 250 } });
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '40' })).toMatchObject({
      relay: { userMaxStreams: 8, serverMaxStreams: 16 },
    });
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '100000' })).toMatchObject({
      relay: { userMaxStreams: 1000, serverMaxStreams: 25000 },
    });
  });
  test('a tiny hub: the caps never go below a few streams, nor above the hub-wide cap', () => {
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '3' })).toMatchObject({
      relay: { userMaxStreams: 3, serverMaxStreams: 3 },
    });
    expect(loadConfig({ HUB_MAX_RELAY_SESSIONS: '12' })).toMatchObject({
      relay: { userMaxStreams: 8, serverMaxStreams: 12 },
    });
  });
  test('explicit values win; 0 = no cap; out of range refused', () => {
    expect(loadConfig({ HUB_RELAY_USER_MAX_STREAMS: '0', HUB_RELAY_SERVER_MAX_STREAMS: '0' })).toMatchObject({
      relay: { userMaxStreams: 0, serverMaxStreams: 0 },
    });
    expect(loadConfig({ HUB_RELAY_USER_MAX_STREAMS: '5', HUB_RELAY_SERVER_MAX_STREAMS: '9' })).toMatchObject({
      relay: { userMaxStreams: 5, serverMaxStreams: 9 },
    });
    expect(() => loadConfig({ HUB_RELAY_SERVER_MAX_STREAMS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUB_RELAY_USER_MAX_STREAMS: '1001' })).toThrow(ConfigError);
  });
});
