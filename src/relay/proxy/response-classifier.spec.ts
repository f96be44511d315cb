import { classifyResponse } from './response-classifier.js';
import { granteeScreen } from './grantee-screen.js';

const MB = 1024 * 1024;
const f = (o: Partial<Parameters<typeof classifyResponse>[0]> & { type?: string; disposition?: string }) =>
  classifyResponse({
    method: 'GET',
    status: 200,
    length: 1000,
    ranged: false,
    playRoute: false,
    headers: {
      ...(o.type ? { 'content-type': o.type } : {}),
      ...(o.disposition ? { 'content-disposition': o.disposition } : {}),
    },
    ...o,
  });

describe('classifyResponse', () => {
  test.each([
    [{ method: 'HEAD', type: 'video/mp4', length: 300 * MB }, 'no-body', null],
    [{ status: 204 }, 'no-body', null],
    [{ type: 'application/json; charset=utf-8' }, 'document', null],
    [{ type: 'text/html', length: null }, 'document', 16 * MB],
    [{ type: 'image/jpeg', length: 40 * MB }, 'large-document', null],
    [{ type: 'video/mp4', status: 206, ranged: true, length: 300 * MB }, 'media-range', null],
    [{ type: 'video/mp4', status: 200, ranged: true, length: 300 * MB }, 'media-whole', null],
    [{ type: 'video/mp4', length: 4 * MB }, 'media-small', null],
    [{ type: 'VIDEO/MP4', length: 40 * MB }, 'media-whole', null],
    [{ type: 'video/mp2t', length: null, playRoute: true }, 'media-live', null],
    [{ type: 'video/mp2t', length: null }, 'media-small', 16 * MB],
    [{ type: 'application/vnd.apple.mpegurl' }, 'media-small', null],
    [{ type: 'text/vtt' }, 'media-small', null],
    [{ type: 'application/json', disposition: 'attachment; filename="x.json"' }, 'attachment', null],
    [{ type: 'application/octet-stream', length: 300 * MB }, 'file', null],
    [{ type: 'application/x-iso9660-image' }, 'file', null],
    [{}, 'file', null],
    [{ status: 404, type: 'text/html' }, 'document', null],
    [{ status: 500, length: null }, 'document', 16 * MB],
  ])('%j → %s', (o, cls, cap) => {
    expect(f(o as never)).toEqual({ cls, cap });
  });
});

describe('granteeScreen', () => {
  const screen = (held: 'view' | 'play' | 'download', ranged = false) =>
    granteeScreen({ method: 'GET', ranged, playRoute: false, held, requestNeeds: 'view' });
  test('view never receives media or file bodies', () => {
    expect(screen('view')(200, { 'content-type': 'video/mp4' }, 1000).refuse?.code).toBe('relay.access_denied');
    expect(screen('view')(200, { 'content-type': 'application/octet-stream' }, 1000).refuse).not.toBeNull();
    expect(screen('view')(200, { 'content-type': 'application/json' }, 1000)).toEqual({
      refuse: null,
      action: 'browse',
      cap: null,
    });
  });
  test('play streams with Range; a whole big file is a download', () => {
    expect(screen('play', true)(206, { 'content-type': 'video/mp4' }, 300 * MB)).toEqual({
      refuse: null,
      action: 'play',
      cap: null,
    });
    expect(screen('play')(200, { 'content-type': 'video/mp4' }, 300 * MB).refuse).not.toBeNull();
    expect(screen('play')(200, { 'content-type': 'video/mp2t' }, null)).toEqual({
      refuse: null,
      action: 'play',
      cap: 16 * MB,
    });
  });
  test('download receives everything, uncapped', () => {
    expect(screen('download')(200, { 'content-type': 'video/mp4' }, 300 * MB)).toEqual({
      refuse: null,
      action: 'download',
      cap: null,
    });
    expect(screen('download')(200, { 'content-type': 'text/html' }, null)).toEqual({
      refuse: null,
      action: 'browse',
      cap: null,
    });
  });
});
