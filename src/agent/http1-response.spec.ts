import { OriginProtocolError, ResponseParser, type ResponseHead } from './http1-response.js';

function run(method: string, pieces: Buffer[], { reuse = true } = {}) {
  const heads: ResponseHead[] = [];
  const body: Buffer[] = [];
  let ends = 0;
  const p = new ResponseParser({
    head: (h) => heads.push(h),
    body: (v) => body.push(Buffer.from(v)),
    end: () => ends++,
  });
  p.expect(method);
  // one read buffer, overwritten after every push, as the connection does
  const shared = Buffer.alloc(64 * 1024);
  for (const piece of pieces) {
    if (reuse) {
      piece.copy(shared);
      p.push(shared.subarray(0, piece.length));
      shared.fill(0x58, 0, piece.length);
    } else {
      p.push(piece);
    }
  }
  return {
    p,
    heads,
    get body() {
      return Buffer.concat(body);
    },
    get ends() {
      return ends;
    },
  };
}

const bytes = (s: string) => Buffer.from(s, 'latin1');
/** every split of `s` into pieces of `n` bytes */
const split = (s: string, n: number) => {
  const b = bytes(s);
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += n) out.push(b.subarray(i, i + n));
  return out;
};

const FIXED =
  'HTTP/1.1 206 Partial Content\r\nContent-Type: video/mp4\r\nContent-Length: 10\r\nX-A:  one \r\n\r\n0123456789';
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n1A\r\n' +
  'abcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n';

test.each([1, 2, 3, 7, 1000])('fixed length, read in pieces of %i bytes', (n) => {
  const r = run('GET', split(FIXED, n));
  expect(r.heads).toEqual([
    { status: 206, rawHeaders: ['Content-Type', 'video/mp4', 'Content-Length', '10', 'X-A', 'one'], keepAlive: true },
  ]);
  expect(r.body.toString()).toBe('0123456789');
  expect(r.ends).toBe(1);
  expect(r.p.reusable).toBe(true);
});

test.each([1, 2, 5, 1000])('chunked with extensions and trailers, pieces of %i bytes', (n) => {
  const r = run('GET', split(CHUNKED, n));
  expect(r.heads[0]!.status).toBe(200);
  expect(r.body.toString()).toBe('abcdabcdefghijklmnopqrstuvwxyz');
  expect(r.ends).toBe(1);
  expect(r.p.reusable).toBe(true);
});

test('interim 100 Continue is skipped; the final response follows in the same read', () => {
  const r = run('POST', [bytes('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok')]);
  expect(r.heads.map((h) => h.status)).toEqual([201]);
  expect(r.body.toString()).toBe('ok');
});

test.each([
  ['HEAD', 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n'],
  ['GET', 'HTTP/1.1 204 No Content\r\n\r\n'],
  ['GET', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n'],
  ['GET', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
])('%s with no body: ends at the head (%#)', (method, text) => {
  const r = run(method, [bytes(text)]);
  expect(r.ends).toBe(1);
  expect(r.body.length).toBe(0);
  expect(r.p.reusable).toBe(true);
});

test('no length: the body runs to the close and the connection is not reused', () => {
  const r = run('GET', [bytes('HTTP/1.1 200 OK\r\n\r\nab'), bytes('cd')]);
  expect(r.ends).toBe(0);
  expect(r.p.directLimit).toBeGreaterThan(1e9);
  r.p.eof();
  expect(r.ends).toBe(1);
  expect(r.body.toString()).toBe('abcd');
  expect(r.p.reusable).toBe(false);
});

test.each([
  ['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx', false],
  ['HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx', false],
  ['HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx', true],
  ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA', false],
])('keep-alive decided from version, Connection and overrun (%#)', (text, reusable) => {
  expect(run('GET', [bytes(text)]).p.reusable).toBe(reusable);
});

test('bare LF line ends and folded header lines are understood', () => {
  const r = run('GET', [bytes('HTTP/1.1 200 OK\nX-Long: a\n  b\nContent-Length: 1\n\nz')]);
  expect(r.heads[0]!.rawHeaders).toEqual(['X-Long', 'a b', 'Content-Length', '1']);
  expect(r.body.toString()).toBe('z');
});

test('length mode reports how much may be read straight into a frame, and counts those reads', () => {
  const r = run('GET', [bytes('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab')]);
  expect(r.p.directLimit).toBe(4);
  r.p.pushDirect(bytes('cdef'));
  expect(r.p.complete).toBe(true);
  expect(r.p.directLimit).toBe(0);
});

test.each([
  ['not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n'],
  ['conflicting lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'],
  ['a negative length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
  ['a header without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n'],
  ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
  ['chunk data not followed by CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n'],
])('refuses %s', (_what, text) => {
  expect(() => run('GET', [bytes(text)])).toThrow(OriginProtocolError);
});

test('refuses a head larger than 16 KiB, even without its end', () => {
  expect(() => run('GET', [bytes(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(20_000)}`)], { reuse: false })).toThrow(
    /too large/,
  );
});

test('an origin closing mid-body is an error, not an end', () => {
  const r = run('GET', [bytes('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')]);
  expect(() => r.p.eof()).toThrow(/mid-response/);
  expect(r.ends).toBe(0);
});
