import { GranteeChannelFilter } from './grantee-channel-filter.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('GranteeChannelFilter: read requests only', () => {
  test('GET and HEAD heads pass whole, even split across messages and pipelined', () => {
    const f = new GranteeChannelFilter();
    expect(f.push(b('GET /movie.mp4 HTTP/1.1\r\nHost: x\r\nRa'))!.length).toBe(0);
    expect(f.push(b('nge: bytes=0-\r\n\r\nHEAD /a HTTP/1.1\r\n\r\n'))!.toString()).toBe(
      'GET /movie.mp4 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\n\r\nHEAD /a HTTP/1.1\r\n\r\n',
    );
    expect(f.push(b('\r\nGET /b?x=1 HTTP/1.0\r\nContent-Length: 0\r\n\r\n'))!.toString()).toBe(
      '\r\nGET /b?x=1 HTTP/1.0\r\nContent-Length: 0\r\n\r\n',
    );
  });
  test.each([
    'PUT /upload/x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc',
    'POST /api/v1/media/1/progress HTTP/1.1\r\n\r\n',
    'DELETE /x HTTP/1.1\r\n\r\n',
    'GET /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n',
    'GET /x HTTP/1.1\r\nContent-Length: 5\r\n\r\n',
    'GET /x HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    'GET /../etc/passwd HTTP/1.1\r\n\r\n',
    'GET http://evil/ HTTP/1.1\r\n\r\n',
    'GET /x HTTP/1.1\r\nX-A: 1\r\n X-B: folded\r\n\r\n',
    'GET /x HTTP/2.0\r\n\r\n',
  ])('refuses %j', (req) => {
    expect(new GranteeChannelFilter().push(b(req))).toBeNull();
  });
  test('a write after a read ends the channel; TLS and oversized heads too', () => {
    const f = new GranteeChannelFilter();
    expect(f.push(b('GET /a HTTP/1.1\r\n\r\nPUT /b HTTP/1.1\r\n\r\n'))).toBeNull();
    expect(new GranteeChannelFilter().push(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]))).toBeNull();
    expect(new GranteeChannelFilter().push(b('GET /' + 'a'.repeat(17 * 1024)))).toBeNull();
  });
});
