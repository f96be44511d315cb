import { checkRelayPath, parseProxyUrl, PathRejected } from './proxy-rules.js';

const ID = '0b7e5b9e-7f3a-4d2c-9a51-2f0c3c1d9e10';

describe('parseProxyUrl', () => {
  test('splits path and query, keeps the encoding', () => {
    expect(parseProxyUrl(`/api/v1/servers/${ID}/proxy/a%20b/c?x=1&y=%2F`)).toEqual({
      serverId: ID,
      path: '/a%20b/c',
      query: 'x=1&y=%2F',
      decodedPath: '/a b/c',
    });
    expect(parseProxyUrl(`/api/v1/servers/${ID}/proxy`)).toMatchObject({ path: '/', query: '' });
    expect(parseProxyUrl(`/api/v1/servers/${ID}/proxy/`)).toMatchObject({ path: '/' });
  });
  test('refuses control characters in the query and non-proxy urls', () => {
    expect(() => parseProxyUrl(`/api/v1/servers/${ID}/proxy/a?x=%0d\r\n`)).toThrow(PathRejected);
    expect(() => parseProxyUrl(`/api/v1/servers/${ID}/%70roxy/a`)).toThrow(PathRejected);
  });
});

describe('checkRelayPath', () => {
  test.each([
    '/../a',
    '/a/..',
    '/a/./b',
    '/.',
    '/a/%2e%2e/b',
    '/a/%2E%2e',
    '/a%2fb',
    '/a%2Fb',
    '/a%5cb',
    '/a\\b',
    '/a%00b',
    '/a\u0001b',
    '/a%252fb',
    '/a/%252e%252e/b',
    '/%25252e%25252e/',
    '//evil',
    '/a;/../b',
    '/a/..;/b',
    '/x%3fy=1',
    '/x%23y',
    '/http://x',
    '/a%zz',
    'a',
    '',
    '/%2525252525252525252e',
  ])('refuses %j', (p) => {
    expect(() => checkRelayPath(p)).toThrow(PathRejected);
  });
  test.each([
    ['/', '/'],
    ['/api/v1/libraries', '/api/v1/libraries'],
    ['/a%20b', '/a b'],
    ['/Movies/Alien%20(1979).mkv', '/Movies/Alien (1979).mkv'],
    ['/caf%C3%A9', '/café'],
    ['/a.b/c.d', '/a.b/c.d'],
    ['/hls/seg-1.ts', '/hls/seg-1.ts'],
  ])('accepts %j', (p, decoded) => {
    expect(checkRelayPath(p)).toBe(decoded);
  });
});

describe('raw fragment', () => {
  test.each(['/a#b', '/media/1#', '/#/x'])('refuses a raw # in %j', (p) => {
    expect(() => checkRelayPath(p)).toThrow(PathRejected);
    expect(() => parseProxyUrl(`/api/v1/servers/${ID}/proxy${p}`)).toThrow(PathRejected);
  });
});
