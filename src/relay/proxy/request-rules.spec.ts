import { judgeRequest, phlixLibraryOf, requestNeeds } from './request-rules.js';

describe('judgeRequest: exact request rules', () => {
  test.each([
    ['phlix', 'GET', '/api/v1/libraries', '', 'read', false],
    ['phlix', 'GET', '/api/v1/media/5/stream', '', 'read', true],
    ['phlix', 'HEAD', '/hls/5/master.m3u8', '', 'read', true],
    ['phlix', 'GET', '/DASH/5/manifest.mpd', '', 'read', true],
    ['phlix', 'GET', '/media/5', '', 'read', true],
    ['phlix', 'GET', '/api/v1/transcode/abc/seg1.ts', '', 'read', true],
    ['phlix', 'GET', '/files/movie.MP4', '', 'read', false],
    ['phlix', 'GET', '/api/v1/media/5/download', '', 'download-route', false],
    ['phlix', 'GET', '/API/V1/MEDIA/5/DOWNLOAD', '', 'download-route', false],
    ['phlix', 'GET', '/api/v1/media/5', 'download=1', 'download-route', false],
    ['phlix', 'GET', '/api/v1/media/5', 'download=0', 'read', false],
    ['phlix', 'POST', '/api/v1/media/5/transcode', '', 'playback-write', false],
    ['phlix', 'POST', '/api/v1/playback/progress', '', 'playback-write', false],
    ['phlix', 'POST', '/Items/abc/PlaybackInfo', '', 'write', false],
    ['phlix', 'POST', '/api/v1/media/5/transcode/extra', '', 'write', false],
    ['phlix', 'PUT', '/upload/x', '', 'write', false],
    ['phlix', 'DELETE', '/api/v1/media/5', '', 'write', false],
    ['generic', 'GET', '/movie.mp4', '', 'read', false],
    ['generic', 'GET', '/hls/x.m3u8', '', 'read', false],
    ['generic', 'GET', '/Items/abc/Download', '', 'download-route', false],
    ['generic', 'POST', '/Items/abc/PlaybackInfo', '', 'playback-write', false],
    ['generic', 'POST', '/Sessions/Playing/Progress', '', 'playback-write', false],
    ['generic', 'POST', '/api/v1/media/5/transcode', '', 'write', false],
    ['generic', 'PUT', '/upload/x', '', 'write', false],
  ] as const)('%s %s %s ?%s → %s', (kind, m, p, q, cls, playRoute) => {
    expect(judgeRequest(kind, m, p, q)).toEqual({ cls, playRoute });
  });
  test('what the request side needs', () => {
    expect(requestNeeds({ cls: 'read', playRoute: false })).toBe('view');
    expect(requestNeeds({ cls: 'playback-write', playRoute: false })).toBe('play');
    expect(requestNeeds({ cls: 'download-route', playRoute: false })).toBe('download');
    expect(requestNeeds({ cls: 'write', playRoute: false })).toBeNull();
  });
  test('phlixLibraryOf', () => {
    expect(phlixLibraryOf('/api/v1/libraries/lib-1/items')).toBe('lib-1');
    expect(phlixLibraryOf('/api/v1/libraries')).toBeNull();
    expect(phlixLibraryOf('/api/v1/media/1')).toBeNull();
  });
});
