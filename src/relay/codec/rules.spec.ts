/**
 * Rules from docs/protocol/wire.md §2–§3 that the vector file does not
 * exercise directly.
 */
import {
  assertSafeRequest,
  chunkBody,
  decodeHello,
  decodeHttpRequestPayload,
  decodeRequestChunk,
  decodeRequestEnvelope,
  decodeResponseChunk,
  encodeFrame,
  encodeHttpCancel,
  encodeHttpRequestFrames,
  encodeHttpResponseFrames,
  encodeRequestEnvelope,
  encodeRequestHead,
  encodeResponseHead,
  FrameDecoder,
  FrameError,
  frameTypeName,
  FrameType,
  HandshakeError,
  HttpPayloadError,
  isForbiddenHeader,
  isPhpIntegerKey,
  MAX_BODY_CHUNK,
  MAX_FRAME_SIZE,
  phpJsonDecode,
  phpJsonEncode,
  phpStrictBase64Decode,
  SERVER_ACCEPTS,
  SERVER_SENDS,
  withBodySize,
  withRelayIdentity,
} from './index.js';

const json = (s: string): Buffer => Buffer.from(s, 'utf8');
const head = (s: string): Buffer => Buffer.concat([Buffer.from([1]), json(s)]);
const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HttpPayloadError);
    return (err as Error).message;
  }
  throw new Error('expected a throw');
};

describe('frame layer', () => {
  test('header layout and limits', () => {
    expect(encodeFrame(FrameType.HEARTBEAT, 0).toString('hex')).toBe('00000000060000');
    expect(encodeHttpCancel(0x80000001).toString('hex')).toBe('80000001120000');
    expect(MAX_FRAME_SIZE).toBe(65542);
    expect(frameTypeName(0x0a)).toBe('HUB_HELLO_ACK');
    expect(frameTypeName(0x13)).toBe('0x13');
  });

  test('encoder refuses unknown types, bad ids and oversize payloads', () => {
    for (const code of [0x00, 0x13, 0x7b, 0xff, -1]) {
      expect(() => encodeFrame(code as FrameType, 1)).toThrow(expect.objectContaining({ code: 'frame.unknown_type' }));
    }
    for (const id of [-1, 2 ** 32, 1.5, NaN]) {
      expect(() => encodeFrame(FrameType.DATA, id)).toThrow(expect.objectContaining({ code: 'frame.invalid_id' }));
    }
    expect(() => encodeFrame(FrameType.DATA, 1, Buffer.alloc(65536))).toThrow(
      new FrameError('frame.too_large', 'Payload exceeds maximum length of 65535 bytes: 65536'),
    );
  });

  test('server-facing type sets', () => {
    expect([...SERVER_ACCEPTS].sort((a, b) => a - b)).toEqual([0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x10, 0x12]);
    expect([...SERVER_SENDS].sort((a, b) => a - b)).toEqual([0x05, 0x06, 0x11, 0x12]);
  });
});

describe('response heads', () => {
  test('status must be a JSON integer, no range checks', () => {
    const err = 'RelayHttpResponseHead: "status" must be an integer.';
    expect(message(() => decodeResponseChunk(head('{"status":200.0}')))).toBe(err);
    expect(message(() => decodeResponseChunk(head('{"status":2e2}')))).toBe(err);
    expect(message(() => decodeResponseChunk(head('{"headers":{}}')))).toBe(err);
    expect(decodeResponseChunk(head('{"status":-5,"bodyLength":null}'))).toEqual({
      kind: 'head',
      head: { status: -5, headers: {}, bodyLength: null },
    });
  });

  test('headers: [] is {}, strings rejected, duplicates keep the last value, __proto__ is a plain name', () => {
    expect(decodeResponseChunk(head('{"status":200,"headers":[]}'))).toMatchObject({ head: { headers: {} } });
    expect(message(() => decodeResponseChunk(head('{"status":200,"headers":"x"}')))).toBe(
      'RelayHttpResponseHead: "headers" must be an object.',
    );
    const dup = decodeResponseChunk(head('{"status":200,"headers":{"A":"1","B":"2","A":"3"}}'));
    expect(dup.kind === 'head' && Object.entries(dup.head.headers)).toEqual([
      ['A', '3'],
      ['B', '2'],
    ]);
    const proto = decodeResponseChunk(head('{"status":200,"headers":{"__proto__":"x"}}'));
    expect(proto.kind === 'head' && Object.entries(proto.head.headers)).toEqual([['__proto__', 'x']]);
  });

  test('JSON depth 512 parses, 513 is malformed; bare JSON head is tag 0x7B', () => {
    const nest = (n: number) => `{"status":200,"x":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
    expect(decodeResponseChunk(head(nest(512))).kind).toBe('head');
    expect(message(() => decodeResponseChunk(head(nest(513))))).toBe(
      'RelayHttpResponseHead: malformed JSON: Maximum stack depth exceeded',
    );
    expect(message(() => decodeResponseChunk(json('{"status":200}')))).toBe(
      'RelayHttpResponseCodec: unknown chunk tag 0x7B.',
    );
  });

  test('integer-like header names cannot be encoded (PHP could not decode them)', () => {
    expect(isPhpIntegerKey('123')).toBe(true);
    expect(isPhpIntegerKey('0123')).toBe(false);
    expect(isPhpIntegerKey('-0')).toBe(false);
    expect(() => encodeResponseHead({ status: 200, headers: { '123': 'x' }, bodyLength: null })).toThrow(
      HttpPayloadError,
    );
    expect(() => encodeResponseHead({ status: 200.5, headers: {}, bodyLength: null })).toThrow(HttpPayloadError);
  });

  test('utf8 style writes plain JSON that decodes to the same head', () => {
    const h = { status: 200, headers: { 'X-Title': 'Amélie — 🎬', Path: 'a/b' }, bodyLength: null };
    const plainPayload = encodeResponseHead(h, 'utf8');
    expect(plainPayload.subarray(1).toString()).toBe(JSON.stringify(h));
    expect(decodeResponseChunk(plainPayload)).toEqual({ kind: 'head', head: h });
    expect(decodeResponseChunk(encodeResponseHead(h))).toEqual({ kind: 'head', head: h });
  });
});

describe('request chunks and envelopes', () => {
  test('chunkBody and frame helpers split at 65534 bytes', () => {
    expect(chunkBody(Buffer.alloc(MAX_BODY_CHUNK + 10)).map((c) => c.length)).toEqual([65534, 10]);
    expect(chunkBody(Buffer.alloc(MAX_BODY_CHUNK))).toHaveLength(1);
    expect(chunkBody(Buffer.alloc(0))).toHaveLength(0);
    const req = { method: 'POST', path: '/upload', query: '', headers: {} };
    const frames = encodeHttpRequestFrames(0x80000009, req, Buffer.alloc(70000, 7));
    const chunks = new FrameDecoder().push(Buffer.concat(frames)).map((f) => decodeRequestChunk(f.payload));
    expect(chunks.map((c) => c.kind)).toEqual(['head', 'body', 'body', 'end']);
    const res = encodeHttpResponseFrames(0x80000009, { status: 204, headers: {}, bodyLength: 0 });
    expect(res.map((f) => f.length)).toEqual([7 + 1 + '{"status":204,"headers":{},"bodyLength":0}'.length, 8]);
  });

  test('request head checks (no assertSafe at this stage)', () => {
    const cases: [string, string][] = [
      ['{"path":"/"}', '"method" must be a non-empty string.'],
      ['{"method":"GET"}', '"path" must be a non-empty string.'],
      ['{"method":"GET","path":""}', '"path" must be a non-empty string.'],
      ['{"method":"GET","path":"/","headers":{"A":1}}', 'header names and values must be strings.'],
      ['{"method":"GET","path":"/","headers":5}', '"headers" must be an object.'],
      ['{"method":1,"path":"/"}', '"method" must be a non-empty string.'],
    ];
    for (const [text, err] of cases) {
      expect(message(() => decodeRequestChunk(head(text)))).toBe(`RelayHttpRequestHead: ${err}`);
    }
    expect(decodeRequestChunk(head('{"method":"GET","path":"/x","query":null}'))).toEqual({
      kind: 'head',
      head: { method: 'GET', path: '/x', query: '', headers: {} },
    });
  });

  test('envelope: empty payload and top-level scalars', () => {
    expect(message(() => decodeHttpRequestPayload(Buffer.alloc(0)))).toBe(
      'RelayHttpRequest: malformed JSON: Syntax error',
    );
    expect(message(() => decodeRequestEnvelope(json('"x"')))).toBe('RelayHttpRequest: JSON must be an object.');
    expect(message(() => decodeRequestEnvelope(json('{"method":"GET","path":"/","body":"-_"}')))).toBe(
      'RelayHttpRequest: "body" is not valid base64.',
    );
  });

  test('envelope round trip with a binary body, both JSON styles', () => {
    const req = {
      method: 'get',
      path: '/a b/é',
      query: 'q=1',
      headers: { A: '/' },
      body: Buffer.from('0001ff80fe', 'hex'),
    };
    for (const style of ['php', 'utf8'] as const) {
      const decoded = decodeHttpRequestPayload(encodeRequestEnvelope(req, style));
      expect(decoded).toEqual({ form: 'envelope', request: req });
    }
  });

  test('PHP strict base64', () => {
    const dec = (s: string) => phpStrictBase64Decode(s)?.toString('latin1') ?? null;
    expect(dec('aGk=')).toBe('hi');
    expect(dec('aGk')).toBe('hi');
    expect(dec('aG k=\n')).toBe('hi');
    expect(dec('')).toBe('');
    for (const bad of ['a', 'aGk==', 'aG=k', 'a-_b', '====', 'aGk=x']) expect(dec(bad)).toBeNull();
  });

  test('assertSafe: rejected paths and methods from the PHP tests', () => {
    const paths = [
      'foo',
      '/a/../b',
      '/%2e%2e/b',
      '//evil.com',
      '/a\0b',
      '/a%00b',
      'gopher://x',
      '/a\\b',
      '/a?b=1',
      '/a#b',
      '/a\x01b',
      '',
    ];
    for (const path of paths) expect(() => assertSafeRequest({ method: 'GET', path })).toThrow(HttpPayloadError);
    for (const method of ['CONNECT', 'TRACE', 'frobnicate', ' ', 'poſt']) {
      expect(() => assertSafeRequest({ method, path: '/' })).toThrow(
        expect.objectContaining({ code: 'http.unsafe_request' }),
      );
    }
    for (const path of ['/a b', '/é', '/a\x7f', '/./x', '/a%2Fb', '/%252e%252e/x']) {
      expect(() => assertSafeRequest({ method: 'get', path })).not.toThrow();
    }
  });

  test('identity headers', () => {
    expect(isForbiddenHeader('AUTHORIZATION')).toBe(true);
    const src = { Cookie: 'c', 'x-phlix-relay-user': 'evil', Accept: '*/*', 'X-Forwarded-For': '1.2.3.4' };
    expect(withRelayIdentity(src, 'owner-1')).toEqual({ Accept: '*/*', 'X-Phlix-Relay-User': 'owner-1' });
    expect(src.Cookie).toBe('c');
    const sized = withBodySize(
      { method: 'POST', path: '/', query: '', headers: { 'content-length': '1', A: 'b' } },
      42,
    );
    expect(sized.headers).toEqual({ A: 'b', 'Content-Length': '42' });
    expect(() => encodeRequestHead({ method: '', path: '/', query: '', headers: {} })).toThrow(HttpPayloadError);
  });
});

describe('JSON and handshake', () => {
  test('PHP json_decode quirks', () => {
    const err = (s: string | Buffer) => {
      try {
        phpJsonDecode(typeof s === 'string' ? json(s) : s);
        return 'ok';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err('"\\ud800"')).toBe('Single unpaired UTF-16 surrogate in unicode escape');
    expect(err(Buffer.from('22ff22', 'hex'))).toBe('Malformed UTF-8 characters, possibly incorrectly encoded');
    expect(err('"a\nb"')).toBe('Control character error, possibly incorrectly encoded');
    expect(err('TRUE')).toBe('Syntax error');
    expect(err('01')).toBe('Syntax error');
    expect(err(' [1, {"a": null}] ')).toBe('ok');
    expect(phpJsonDecode(json('"\\ud83d\\ude00\\/"'))).toBe('😀/');
    expect(phpJsonDecode(json('9223372036854775807'))).toBe(2 ** 63); // PHP_INT_MAX, as the nearest double
    expect(phpJsonDecode(json('9223372036854775808'))).toMatchObject({ value: 9223372036854775808 });
    expect(phpJsonEncode({ a: 'é/😀\u001f"' })).toBe('{"a":"\\u00e9\\/\\ud83d\\ude00\\u001f\\""}');
  });

  test('HELLO checks in the reference order', () => {
    const reason = (text: string) => {
      try {
        decodeHello(text);
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(HandshakeError);
        return (e as HandshakeError).reason;
      }
    };
    expect(reason('nope')).toBe('invalid_hello');
    expect(reason('{"type":"hello","server_id":"s","enrollment_jwt":{"a":{"b":1}}}')).toBe('invalid_hello');
    expect(reason('{"type":"hello","enrollment_jwt":"j"}')).toBe('missing_server_id');
    expect(reason('{"type":"helo","server_id":"s","enrollment_jwt":"j"}')).toBe('invalid_hello');
    expect(reason('{"type":"hello","server_id":"s","enrollment_jwt":5}')).toBe('invalid_hello_payload');
    expect(reason('{"type":"hello","server_id":"s","enrollment_jwt":"j"}')).toBe('ok');
  });
});
