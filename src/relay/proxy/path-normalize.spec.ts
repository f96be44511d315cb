import { normalizePath, PathNotNormal, underPrefix } from './path-normalize.js';

describe('normalizePath: one path for the check and the request', () => {
  test.each([
    ['/movie.mp4', '/movie.mp4', '/movie.mp4'],
    ['/a//movie.mp4', '/a/movie.mp4', '/a/movie.mp4'],
    ['/movie.mp4;x', '/movie.mp4', '/movie.mp4'],
    ['/Movies;jsessionid=1/movie.mp4;x=y', '/Movies/movie.mp4', '/Movies/movie.mp4'],
    ['/movie.mp4%20', '/movie.mp4', '/movie.mp4'],
    ['/movie.mp4.', '/movie.mp4', '/movie.mp4'],
    ['/movie.mp4. . ', '/movie.mp4', '/movie.mp4'],
    ['/x.mkv/', '/x.mkv/', '/x.mkv/'],
    ['/Movies///', '/Movies/', '/Movies/'],
    ['/My%20Movies/Alien%20(1979).mkv', '/My Movies/Alien (1979).mkv', '/My%20Movies/Alien%20(1979).mkv'],
    ['/caf%C3%A9', '/café', '/caf%C3%A9'],
    ['/a%3Bb', '/a;b', '/a%3Bb'],
    ['/a%2520b', '/a%20b', '/a%2520b'],
    ['/', '/', '/'],
  ])('%j → %j (sent as %j)', (raw, decoded, wire) => {
    expect(normalizePath(raw)).toEqual({ decoded, wire });
    // idempotent: the sent path normalises to itself
    expect(normalizePath(wire)).toEqual({ decoded, wire });
  });
  test('case folding when the origin folds case', () => {
    expect(normalizePath('/MOVIES/Movie.MP4', { foldCase: true })).toEqual({
      decoded: '/movies/movie.mp4',
      wire: '/movies/movie.mp4',
    });
    expect(normalizePath('/MOVIES/Movie.MP4')).toEqual({ decoded: '/MOVIES/Movie.MP4', wire: '/MOVIES/Movie.MP4' });
  });
  test.each(['/a/.../b', '/a/%20%20/b', '/a%zz', '/%2e%2e%2e'])('refuses %j', (raw) => {
    expect(() => normalizePath(raw)).toThrow(PathNotNormal);
  });
  test('underPrefix', () => {
    expect(underPrefix('/Movies/a.mp4', '/Movies/')).toBe(true);
    expect(underPrefix('/Movies', '/Movies/')).toBe(true);
    expect(underPrefix('/MoviesX/a.mp4', '/Movies/')).toBe(false);
    expect(underPrefix('/TV/a.mp4', '/Movies/')).toBe(false);
  });
});
