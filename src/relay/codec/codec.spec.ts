/**
 * Runs every vector of test/fixtures/relay-vectors.json (made by the real PHP
 * codec) against the TypeScript codec: encode gives the same bytes, decode the
 * same fields, malformed input is rejected with a typed error.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  chunkBody,
  decodeFrame,
  decodeHello,
  decodeHttpRequestPayload,
  decodeRequestChunk,
  decodeRequestEnvelope,
  decodeResponseChunk,
  encodeFrame,
  encodeHello,
  encodeHelloAck,
  encodeHttpCancel,
  encodeHttpRequestEnvelopeFrame,
  encodeHttpRequestFrames,
  encodeRequestBody,
  encodeRequestEnvelope,
  encodeResponseBody,
  encodeResponseEnd,
  encodeResponseHead,
  FrameDecoder,
  FrameError,
  FrameType,
  HttpPayloadError,
  isFrameType,
  parseFrameType,
  PhpFloat,
  phpJsonDecode,
  phpJsonEncode,
  type Frame,
  type PhpJson,
  type RequestChunk,
  type ResponseChunk,
} from './index.js';

type Vector = Record<string, any>;
const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/relay-vectors.json', import.meta.url), 'utf8'),
) as { vector_count: number; vectors: Vector[] };
const vectors = fixture.vectors;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Bytes from a vector's payload description ({length, hex} or {length, pattern, sha256}). */
function bytesOf(desc: any): Buffer {
  if (desc === undefined || desc === '') return Buffer.alloc(0);
  if (typeof desc === 'string') return Buffer.from(desc, 'utf8');
  let out: Buffer;
  if (typeof desc.hex === 'string') {
    out = Buffer.from(desc.hex, 'hex');
  } else if (desc.pattern === 'byte[i] = i % 251') {
    out = Buffer.from(Array.from({ length: desc.length }, (_, i) => i % 251));
  } else {
    throw new Error(`unknown payload description ${JSON.stringify(desc)}`);
  }
  expect(out.length).toBe(desc.length);
  if (desc.sha256) expect(sha256(out)).toBe(desc.sha256);
  return out;
}

/** Plain JS view of a PHP-decoded value, for comparisons. */
function plain(v: PhpJson): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v instanceof PhpFloat ? v.value : v;
}
const phpHeaders = (h: unknown): unknown => (Array.isArray(h) && h.length === 0 ? {} : h);

function decodeAll(bytes: Buffer): Frame[] {
  const decoder = new FrameDecoder();
  const frames = decoder.push(bytes);
  expect(decoder.bufferedBytes).toBe(0);
  return frames;
}

/** Checks decoded frames against the vector's `frames` list. */
function expectFrames(v: Vector, frames: Frame[]): void {
  expect(frames).toHaveLength(v.frames.length);
  const lengths: number[] = v.frame_lengths ?? [v.byte_length];
  v.frames.forEach((want: any, i: number) => {
    const got = frames[i]!;
    expect(FrameType[got.type]).toBe(want.type);
    expect(got.type).toBe(parseInt(want.type_code, 16));
    expect(got.id).toBe(want.channel);
    expect(got.payload.length).toBe(want.payload_length);
    expect(lengths[i]).toBe(7 + want.payload_length);
    expect(hex(encodeFrame(got.type, got.id, got.payload).subarray(0, 7))).toBe(want.header_hex);
  });
}

/** Encoded bytes must equal the vector's hex exactly. */
function expectWire(v: Vector, encoded: Buffer[]): void {
  const all = Buffer.concat(encoded);
  expect(encoded.map((f) => f.length)).toEqual(v.frame_lengths ?? [v.byte_length]);
  expect(all.length).toBe(v.byte_length);
  expect(sha256(all)).toBe(v.sha256);
  expect(hex(all)).toBe(v.hex);
}

function expectChunk(chunk: RequestChunk | ResponseChunk, want: any): void {
  expect(chunk.kind).toBe(want.kind);
  expect(chunk.kind === 'body' ? hex(chunk.body) : '').toBe(want.body.hex);
  if (want.head === null) return expect(chunk.kind).not.toBe('head');
  if (chunk.kind !== 'head') throw new Error('expected a head chunk');
  const { class: _cls, ...fields } = want.head;
  expect(chunk.head).toEqual({ ...fields, headers: phpHeaders(fields.headers) });
}

function expectRequest(req: { method: string; path: string; query: string; headers: object; body: Buffer }, want: any) {
  expect({ method: req.method, path: req.path, query: req.query, headers: req.headers }).toEqual({
    method: want.method,
    path: want.path,
    query: want.query,
    headers: phpHeaders(want.headers),
  });
  expect(hex(req.body)).toBe(typeof want.body === 'string' ? hex(Buffer.from(want.body)) : want.body.hex);
}

const expectThrows = (fn: () => unknown, cls: Function, message: string): void => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(cls);
  expect((error as Error).message).toBe(message);
};

const handled = new Set<string>();
afterAll(() => {
  // every vector in the file went through exactly one of the runners below
  expect(fixture.vector_count).toBe(vectors.length);
  expect([...handled].sort()).toEqual(vectors.map((v) => v.name).sort());
});
const run = (kinds: string[], fn: (v: Vector) => void) =>
  test.each(vectors.filter((v) => kinds.includes(v.kind)).map((v) => [v.name, v] as const))('%s', (name, v) => {
    fn(v);
    handled.add(name);
  });

describe('handshake_text vectors', () => {
  run(['handshake_text'], (v) => {
    const text = v.name.endsWith('hello_ack_text')
      ? encodeHelloAck({ relaySessionId: v.input.relay_session_id, tunnelId: v.input.tunnel_id })
      : encodeHello({ enrollmentJwt: v.input.enrollment_jwt, serverId: v.input.server_id });
    expect(text).toBe(v.text);
    expect(Buffer.from(text).toString('hex')).toBe(v.hex);
    if (!v.name.endsWith('hello_ack_text')) {
      expect(decodeHello(text)).toEqual({ enrollmentJwt: v.input.enrollment_jwt, serverId: v.input.server_id });
    }
  });
});

describe('frame vectors', () => {
  run(['frame'], (v) => {
    const specs: [FrameType, number, Buffer][] = v.input.types
      ? v.input.types.map(([, code]: [string, string]) => [parseInt(code, 16), 0, Buffer.alloc(0)])
      : [
          [
            FrameType[v.input.type as keyof typeof FrameType],
            v.input.channel,
            v.input.payload_json ? Buffer.from(phpJsonEncode(v.input.payload_json)) : bytesOf(v.input.payload),
          ],
        ];
    expectWire(
      v,
      specs.map(([t, id, p]) => encodeFrame(t, id, p)),
    );
    const frames = decodeAll(Buffer.from(v.hex, 'hex'));
    expectFrames(v, frames);
    frames.forEach((f, i) => expect(hex(f.payload)).toBe(hex(specs[i]![2])));
    if (v.input.payload_json) expect(plain(phpJsonDecode(frames[0]!.payload))).toEqual(v.input.payload_json);
  });
});

describe('http_request vectors', () => {
  run(['http_request'], (v) => {
    const { request_id: id, method, path, query, headers } = v.input;
    const body = bytesOf(v.input.body);
    const legacy = String(v.input.form).startsWith('single-frame');
    const encoded = legacy
      ? [encodeHttpRequestEnvelopeFrame(id, { method, path, query, headers, body })]
      : encodeHttpRequestFrames(id, { method, path, query, headers }, body);
    expectWire(v, encoded);

    const frames = decodeAll(Buffer.from(v.hex, 'hex'));
    expectFrames(v, frames);
    const decoded = frames.map((f) => decodeHttpRequestPayload(f.payload));
    if (legacy) {
      expect(frames[0]!.payload.toString()).toBe(v.payload_text);
      const [only] = decoded;
      if (only?.form !== 'envelope') throw new Error('expected an envelope');
      expectRequest(only.request, v.input);
      return;
    }
    expect(frames[0]!.payload.subarray(1).toString()).toBe(v.head_json);
    const chunks = decoded.map((d) => (d.form === 'chunk' ? d.chunk : null));
    const [head, ...rest] = chunks;
    if (head?.kind !== 'head') throw new Error('expected HEAD first');
    expect(rest.at(-1)?.kind).toBe('end');
    const got = Buffer.concat(rest.map((c) => (c?.kind === 'body' ? c.body : Buffer.alloc(0))));
    expectRequest({ ...head.head, body: got }, { ...v.input, body: { hex: hex(body) } });
  });
});

describe('http_response vectors', () => {
  run(['http_response'], (v) => {
    const id: number = v.input.request_id;
    const hasHead = 'status' in v.input;
    const hasBody = 'body' in v.input;
    const body = bytesOf(v.input.body);
    const head = { status: v.input.status, headers: v.input.headers, bodyLength: v.input.bodyLength ?? body.length };
    const frame = (p: Buffer) => encodeFrame(FrameType.HTTP_RESPONSE, id, p);
    let encoded: Buffer[];
    if (hasHead && hasBody) {
      encoded = [
        frame(encodeResponseHead(head)),
        ...chunkBody(body).map((c) => frame(encodeResponseBody(c))),
        frame(encodeResponseEnd()),
      ];
    } else if (hasHead) {
      encoded = [frame(encodeResponseHead(head))];
    } else if (hasBody) {
      encoded = [frame(encodeResponseBody(body))];
    } else {
      encoded = [frame(encodeResponseEnd())];
    }
    if (v.frames.some((f: any) => f.type === 'HTTP_CANCEL')) encoded.push(encodeHttpCancel(id));
    expectWire(v, encoded);

    const frames = decodeAll(Buffer.from(v.hex, 'hex'));
    expectFrames(v, frames);
    const chunks = frames.filter((f) => f.type === FrameType.HTTP_RESPONSE).map((f) => decodeResponseChunk(f.payload));
    const heads = chunks.flatMap((c) => (c.kind === 'head' ? [c.head] : []));
    if (hasHead) expect(heads).toEqual([head]);
    if (v.head_json) expect(frames[0]!.payload.subarray(1).toString()).toBe(v.head_json);
    const bodies = chunks.flatMap((c) => (c.kind === 'body' ? [c.body] : []));
    expect(hex(Buffer.concat(bodies))).toBe(hex(body));
    if (v.chunkBody_of_empty_returns) expect(chunkBody(body)).toEqual(v.chunkBody_of_empty_returns);
  });
});

describe('encode_error vectors', () => {
  run(['encode_error'], (v) => {
    const err = v.php_result;
    expect(err.outcome).toBe('threw');
    switch (v.name) {
      case 'encode_error.invalid_utf8_header_value':
        // JS strings are UTF-16: the analogue of PHP's invalid UTF-8 is a lone surrogate.
        expectThrows(
          () => encodeResponseHead({ status: 200, headers: { 'X-Bin': '\udcff\udcfe' }, bodyLength: 0 }),
          HttpPayloadError,
          `RelayHttpResponseHead: ${err.message}`,
        );
        break;
      case 'encode_error.request_body_chunk_65535':
        expectThrows(() => encodeRequestBody(Buffer.alloc(65535)), HttpPayloadError, err.message);
        break;
      case 'encode_error.response_body_chunk_65535':
        expectThrows(() => encodeResponseBody(Buffer.alloc(65535)), HttpPayloadError, err.message);
        break;
      case 'encode_error.oversize_legacy_envelope': {
        const body = bytesOf({ length: 49152, pattern: 'byte[i] = i % 251' });
        const req = { method: 'POST', path: '/x', query: '', headers: {}, body };
        expect(encodeRequestEnvelope(req).length).toBe(v.toJson_length);
        expectThrows(() => encodeHttpRequestEnvelopeFrame(0x80000001, req), FrameError, err.message);
        break;
      }
      default:
        throw new Error(`no runner for ${v.name}`);
    }
  });
});

describe('malformed and edge vectors', () => {
  run(['malformed', 'edge'], (v) => {
    const bytes = Buffer.from(v.hex, 'hex');
    const results = Object.entries(v.php_result).filter(([k]) => k !== 'note') as [string, any][];
    expect(results.length).toBeGreaterThan(0);
    for (const [call, want] of results) {
      if (call === 'reference_decoder') {
        const decoder = new FrameDecoder();
        if (want.outcome === 'threw') {
          expectThrows(() => decoder.push(bytes), FrameError, want.message);
          expect(() => decoder.push(Buffer.alloc(0))).toThrow(FrameError);
          continue;
        }
        const frames = decoder.push(bytes);
        const single = decodeFrame(bytes);
        if (want.value === null) {
          expect(frames).toEqual([]);
          expect(single).toBeNull();
          expect(decoder.bufferedBytes).toBe(bytes.length);
          continue;
        }
        expect(single?.size).toBe(want.value.wire_length);
        expect(FrameType[single!.frame.type]).toBe(want.value.type);
        expect(single!.frame.id).toBe(want.value.channel);
        expect(hex(single!.frame.payload)).toBe(want.value.payload.hex);
        expect(frames[0]).toEqual(single!.frame); // the stream decoder also yields the rest
        expect(frames.length).toBeGreaterThanOrEqual(1);
        continue;
      }
      if (call.startsWith('RelayFrameType::')) {
        const code = bytes[4]!;
        if (call.endsWith('fromValue')) expectThrows(() => parseFrameType(code), FrameError, want.message);
        else if (call.endsWith('isValid')) expect(isFrameType(code)).toBe(want.value);
        else expect(isFrameType(code) ? code : null).toBe(null); // tryFrom / from
        continue;
      }
      // payload-level call: framing is valid, the payload decoder decides
      const [frame] = decodeAll(bytes);
      expect(hex(frame!.payload)).toBe(v.input.payload.hex);
      const decode = {
        'RelayHttpResponseCodec::decode(payload)': decodeResponseChunk,
        'RelayHttpRequestCodec::decode(payload)': decodeRequestChunk,
        'RelayHttpRequest::fromJson(payload)': decodeRequestEnvelope,
      }[call];
      if (!decode) throw new Error(`no runner for ${call}`);
      if (call.startsWith('RelayHttpRequest')) expect(frame!.type).toBe(FrameType.HTTP_REQUEST);
      else expect(frame!.type).toBe(FrameType.HTTP_RESPONSE);
      if (want.outcome === 'threw') {
        expectThrows(() => decode(frame!.payload), HttpPayloadError, want.message);
        const first = frame!.payload[0] ?? 0;
        // the server's dispatch sends tags 01..03 to the chunk codec, anything else to the envelope
        if (
          call === 'RelayHttpRequest::fromJson(payload)' ||
          (call.startsWith('RelayHttpRequestCodec') && first >= 1 && first <= 3)
        ) {
          expectThrows(() => decodeHttpRequestPayload(frame!.payload), HttpPayloadError, want.message);
        }
      } else if (want.value.class === 'RelayHttpRequest') {
        expectRequest(decodeRequestEnvelope(frame!.payload), want.value);
      } else {
        expectChunk(decode(frame!.payload) as RequestChunk | ResponseChunk, want.value);
      }
    }
  });
});

describe('hmac and dto_json vectors (fixture consistency)', () => {
  run(['hmac'], (v) => {
    const mac = createHmac('sha256', v.input.secret).update(v.input.payload).digest('hex');
    expect(`sha256:${mac}`).toBe(v.result);
  });
  run(['dto_json'], (v) => {
    // the PHP-style encoder reproduces json_encode byte for byte; both parsers agree
    expect(phpJsonEncode(v.input)).toBe(v.json_php_default_flags);
    const parsed = phpJsonDecode(Buffer.from(v.json_php_default_flags));
    expect(plain(parsed)).toEqual(v.input);
    expect([...(parsed as Map<string, PhpJson>).keys()]).toEqual(Object.keys(v.input));
    expect(JSON.parse(v.json_php_default_flags)).toEqual(v.input);
    expect(['returned', 'threw']).toContain(v.php_result.outcome);
  });
});
