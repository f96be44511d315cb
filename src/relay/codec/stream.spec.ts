/**
 * Streaming decoder: vectors fed in pieces give the same frames, and random
 * frames / random garbage never produce anything but frames or FrameError,
 * with bounded buffering.
 */
import { readFileSync } from 'node:fs';
import {
  decodeHello,
  decodeHttpRequestPayload,
  decodeResponseChunk,
  encodeFrame,
  FrameDecoder,
  FrameError,
  FrameType,
  HandshakeError,
  HEADER_SIZE,
  HttpPayloadError,
  MAX_DECODER_BUFFER,
  MAX_PAYLOAD,
  phpJsonDecode,
  PhpJsonError,
  type Frame,
} from './index.js';

const vectors: any[] = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/relay-vectors.json', import.meta.url), 'utf8'),
).vectors;
const frameVectors = vectors.filter((v) => Array.isArray(v.frames));

/** Small deterministic PRNG (mulberry32) so failures are reproducible. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
const randomBytes = (rand: (n: number) => number, n: number): Buffer =>
  Buffer.from(Array.from({ length: n }, () => rand(256)));
const summary = (frames: Frame[]) => frames.map((f) => [f.type, f.id, f.payload.toString('hex')]);

/** Feeds `pieces` to one decoder, checking the buffer bound after every push. */
function feed(pieces: Buffer[], decoder = new FrameDecoder()): Frame[] {
  const out: Frame[] = [];
  for (const piece of pieces) {
    out.push(...decoder.push(piece));
    expect(decoder.bufferedBytes).toBeLessThan(HEADER_SIZE + MAX_PAYLOAD);
  }
  expect(decoder.bufferedBytes).toBe(0);
  return out;
}

describe('chunked feeding of vectors', () => {
  test.each(frameVectors.map((v) => [v.name, v]))('%s split at every byte boundary', (_name, v) => {
    const bytes = Buffer.from(v.hex, 'hex');
    const whole = summary(new FrameDecoder().push(bytes));
    expect(whole).toHaveLength(v.frames.length);
    // every boundary for small vectors; for the 64 KiB ones, the header region, the middle and the tail
    const cuts =
      bytes.length <= 4096
        ? Array.from({ length: bytes.length + 1 }, (_, i) => i)
        : [0, 1, 3, 6, 7, 8, 100, 32768, bytes.length - 8, bytes.length - 1, bytes.length];
    for (const cut of cuts) {
      expect(summary(feed([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(whole);
    }
    if (bytes.length <= 4096) {
      expect(summary(feed([...bytes].map((b) => Buffer.from([b]))))).toEqual(whole);
    }
  });

  test('all vector frames as one stream, cut at random points', () => {
    const stream = Buffer.concat(frameVectors.map((v) => Buffer.from(v.hex, 'hex')));
    const expected = summary(new FrameDecoder().push(stream));
    expect(expected).toHaveLength(frameVectors.reduce((n, v) => n + v.frames.length, 0));
    const rand = rng(7);
    for (let round = 0; round < 50; round++) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < stream.length;) {
        const size = rand(4) === 0 ? rand(70000) : rand(64);
        pieces.push(stream.subarray(i, i + size));
        i += size;
      }
      expect(summary(feed(pieces))).toEqual(expected);
    }
  });
});

describe('decoder limits and poisoning', () => {
  test('unknown type poisons the decoder, frames before it are not returned', () => {
    const decoder = new FrameDecoder();
    const bad = Buffer.concat([encodeFrame(FrameType.DATA, 1, Buffer.from('x')), Buffer.from('00000001130000', 'hex')]);
    expect(() => decoder.push(bad)).toThrow(expect.objectContaining({ code: 'frame.unknown_type' }));
    expect(decoder.poisoned).toBe(true);
    expect(decoder.bufferedBytes).toBe(0);
    expect(() => decoder.push(encodeFrame(FrameType.HEARTBEAT, 0))).toThrow(
      expect.objectContaining({ code: 'frame.poisoned' }),
    );
  });

  test('unknown type in a header split across pushes', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.from('000000', 'hex'))).toEqual([]);
    expect(() => decoder.push(Buffer.from('0000ff0000', 'hex'))).toThrow(FrameError);
  });

  test('maxPayload rejects oversize lengths as soon as the header is in', () => {
    const decoder = new FrameDecoder({ maxPayload: 1024 });
    expect(decoder.push(encodeFrame(FrameType.DATA, 1, Buffer.alloc(1024)))).toHaveLength(1);
    const big = encodeFrame(FrameType.DATA, 1, Buffer.alloc(1025));
    expect(() => decoder.push(big.subarray(0, 7))).toThrow(expect.objectContaining({ code: 'frame.too_large' }));
  });

  test('maxBufferedBytes caps data held between pushes', () => {
    const frame = encodeFrame(FrameType.DATA, 1, Buffer.alloc(5000));
    expect(new FrameDecoder({ maxBufferedBytes: 1000 }).push(frame)).toHaveLength(1); // whole chunk: nothing held
    const decoder = new FrameDecoder({ maxBufferedBytes: 1000 });
    expect(decoder.push(frame.subarray(0, 900))).toEqual([]);
    expect(() => decoder.push(frame.subarray(900, 1200))).toThrow(
      expect.objectContaining({ code: 'frame.buffer_overflow' }),
    );
  });

  test('default buffer cap matches the PHP hub and options are validated', () => {
    expect(MAX_DECODER_BUFFER).toBe(131072);
    expect(() => new FrameDecoder({ maxPayload: 70000 })).toThrow(RangeError);
    expect(() => new FrameDecoder({ maxBufferedBytes: 3 })).toThrow(RangeError);
  });

  test('non-byte input is a FrameError', () => {
    expect(() => new FrameDecoder().push('hello' as unknown as Buffer)).toThrow(
      expect.objectContaining({ code: 'frame.invalid_input' }),
    );
    expect(new FrameDecoder().push(new Uint8Array([0, 0, 0, 0, 6, 0, 0]))).toHaveLength(1);
    expect(new FrameDecoder().push(new Uint8Array([0, 0, 0, 0, 6, 0, 0]).buffer)).toHaveLength(1);
  });
});

describe('fuzz', () => {
  test('10 000 random valid frames round-trip through random chunking', () => {
    const rand = rng(42);
    const types = Object.values(FrameType).filter((t): t is FrameType => typeof t === 'number');
    const frames: Frame[] = [];
    for (let i = 0; i < 10_000; i++) {
      const roll = rand(100);
      const length = roll < 60 ? rand(16) : roll < 95 ? rand(2048) : roll < 99 ? rand(MAX_PAYLOAD + 1) : MAX_PAYLOAD;
      frames.push({
        type: types[rand(types.length)]!,
        id: rand(2 ** 32),
        payload: randomBytes(rand, Math.min(length, 4096)),
      });
      if (length > 4096) frames[i] = { ...frames[i]!, payload: Buffer.alloc(length, i & 0xff) };
    }
    const stream = Buffer.concat(frames.map((f) => encodeFrame(f.type, f.id, f.payload)));
    const pieces: Buffer[] = [];
    for (let i = 0; i < stream.length;) {
      const size = 1 + (rand(3) === 0 ? rand(200_000) : rand(300));
      pieces.push(stream.subarray(i, i + size));
      i += size;
    }
    expect(summary(feed(pieces))).toEqual(summary(frames));
  });

  test('10 000 random garbage chunks: frames or FrameError, nothing else, bounded buffer', () => {
    const rand = rng(1234);
    let decoder = new FrameDecoder();
    let frameCount = 0;
    let errorCount = 0;
    for (let i = 0; i < 10_000; i++) {
      const size = rand(10) === 0 ? rand(140_000) : rand(64);
      // bias some bytes toward valid type codes so longer streams survive
      const chunk = randomBytes(rand, Math.min(size, 512));
      const piece = size > 512 ? Buffer.concat([chunk, Buffer.alloc(size - 512, rand(0x13))]) : chunk;
      try {
        frameCount += decoder.push(piece).length;
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(MAX_DECODER_BUFFER);
        expect(decoder.bufferedBytes).toBeLessThan(HEADER_SIZE + MAX_PAYLOAD);
      } catch (err) {
        expect(err).toBeInstanceOf(FrameError);
        expect(decoder.poisoned).toBe(true);
        expect(decoder.bufferedBytes).toBe(0);
        expect(() => decoder.push(piece)).toThrow(FrameError);
        errorCount++;
        decoder = new FrameDecoder();
      }
    }
    expect(frameCount + errorCount).toBeGreaterThan(0);
  });

  test('random and mutated payloads: payload decoders throw only their typed errors', () => {
    const rand = rng(99);
    const seeds = vectors
      .filter((v) => Array.isArray(v.frames) && v.byte_length < 4096)
      .flatMap((v) => new FrameDecoder().push(Buffer.from(v.hex, 'hex')))
      .map((f) => f.payload)
      .filter((p) => p.length > 0);
    for (let i = 0; i < 10_000; i++) {
      let payload: Buffer;
      if (i % 2 === 0) {
        payload = Buffer.from(seeds[rand(seeds.length)]!);
        for (let m = 1 + rand(4); m > 0 && payload.length > 0; m--) payload[rand(payload.length)] = rand(256);
        if (rand(4) === 0) payload = payload.subarray(0, rand(payload.length + 1));
      } else {
        payload = randomBytes(rand, rand(96));
      }
      for (const decode of [decodeResponseChunk, decodeHttpRequestPayload]) {
        try {
          decode(payload);
        } catch (err) {
          expect(err).toBeInstanceOf(HttpPayloadError);
        }
      }
      try {
        phpJsonDecode(payload);
      } catch (err) {
        expect(err).toBeInstanceOf(PhpJsonError);
      }
      try {
        decodeHello(payload);
      } catch (err) {
        expect(err).toBeInstanceOf(HandshakeError);
      }
    }
  });
});

describe('payload ownership: views only where they pin little', () => {
  test('one big frame per message: the payload is a view of the message (no copy)', () => {
    const msg = encodeFrame(FrameType.DATA, 3, Buffer.alloc(60_000, 7));
    const [f] = new FrameDecoder().push(msg);
    expect(f.payload.buffer).toBe(msg.buffer);
    expect(f.payload.length).toBe(60_000);
  });

  test('many small frames in one big message: each payload is its own copy', () => {
    const small = Array.from({ length: 64 }, (_, i) => encodeFrame(FrameType.DATA, i + 1, Buffer.alloc(1000, i)));
    const msg = Buffer.concat(small);
    const frames = new FrameDecoder().push(msg);
    expect(frames).toHaveLength(64);
    msg.fill(0xff); // the message is gone; the frames are not
    for (const [i, f] of frames.entries()) {
      expect(f.payload.buffer).not.toBe(msg.buffer);
      expect(f.payload.equals(Buffer.alloc(1000, i))).toBe(true);
    }
  });

  test('a frame completed across messages owns the buffer it was assembled in', () => {
    const whole = encodeFrame(FrameType.DATA, 9, Buffer.alloc(10_000, 5));
    const d = new FrameDecoder();
    const a = Buffer.from(whole.subarray(0, 4000));
    const b = Buffer.from(whole.subarray(4000));
    expect(d.push(a)).toEqual([]);
    const [f] = d.push(b);
    a.fill(0);
    b.fill(0);
    expect(f.payload.equals(Buffer.alloc(10_000, 5))).toBe(true);
    expect(d.bufferedBytes).toBe(0);
  });
});
