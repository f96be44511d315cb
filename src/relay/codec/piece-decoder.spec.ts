/**
 * Piece decoder: any split of a frame stream gives the frames FrameDecoder gives (BODY data in
 * pieces that join to the chunk), bulk pieces are views of the read buffers, small ones copies.
 */
import { createHash } from 'node:crypto';
import {
  ChunkTag,
  encodeFrame,
  encodeResponseBody,
  encodeResponseEnd,
  encodeResponseHead,
  FrameDecoder,
  FrameError,
  FrameType,
} from './index.js';
import { encodeResponseCreditFrame } from './credit.js';
import { PieceDecoder, type PieceSink } from './piece-decoder.js';

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Out = { type: number; id: number; payload: string };

/** Payloads compared by digest (element-wise comparison of megabytes is slow). */
const digest = (b: Buffer): string => `${b.length}:${createHash('sha1').update(b).digest('hex')}`;

/** What the sink got, BODY chunks turned back into their payload (tag + data). */
function collector(): { sink: PieceSink; out: Out[]; pieces: Buffer[][] } {
  const out: Out[] = [];
  const pieces: Buffer[][] = [];
  const sink: PieceSink = {
    frame: (type, id, payload) => out.push({ type, id, payload: digest(payload) }),
    body: (id, ps, length) => {
      expect(ps.reduce((n, p) => n + p.length, 0)).toBe(length);
      pieces.push(ps);
      out.push({
        type: FrameType.HTTP_RESPONSE,
        id,
        payload: digest(Buffer.concat([Buffer.of(ChunkTag.BODY), ...ps])),
      });
    },
  };
  return { sink, out, pieces };
}

function stream(seed: number): Buffer {
  const r = rng(seed);
  const frames: Buffer[] = [];
  for (let i = 0; i < 40; i++) {
    const id = 0x80000001 + Math.floor(r() * 4);
    const pick = r();
    if (pick < 0.1) {
      frames.push(
        encodeFrame(
          FrameType.HTTP_RESPONSE,
          id,
          encodeResponseHead({ status: 200, headers: { a: 'b' }, bodyLength: null }),
        ),
      );
    } else if (pick < 0.2) {
      frames.push(encodeFrame(FrameType.HTTP_RESPONSE, id, encodeResponseEnd()));
    } else if (pick < 0.25) {
      frames.push(encodeFrame(FrameType.HEARTBEAT, 0));
    } else if (pick < 0.3) {
      frames.push(encodeResponseCreditFrame(id, 1 + Math.floor(r() * 1e6)));
    } else if (pick < 0.35) {
      frames.push(encodeFrame(FrameType.DATA, 1 + Math.floor(r() * 3), Buffer.alloc(Math.floor(r() * 3000), 7)));
    } else if (pick < 0.4) {
      frames.push(encodeFrame(FrameType.HTTP_RESPONSE, id, encodeResponseBody(Buffer.alloc(0))));
    } else {
      const n = r() < 0.5 ? Math.floor(r() * 200) : 65534 - Math.floor(r() * 10);
      const data = Buffer.allocUnsafe(n);
      for (let j = 0; j < n; j++) data[j] = (j * 31 + i) & 0xff;
      frames.push(encodeFrame(FrameType.HTTP_RESPONSE, id, encodeResponseBody(data)));
    }
  }
  return Buffer.concat(frames);
}

function reference(bytes: Buffer): Out[] {
  return new FrameDecoder().push(bytes).map((f) => ({ type: f.type, id: f.id, payload: digest(f.payload) }));
}

/** Feed `bytes` in chunks that each own their memory (like socket reads). */
function feed(bytes: Buffer, cuts: number[], sink: PieceSink): void {
  const d = new PieceDecoder();
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    d.push(Buffer.from(bytes.subarray(at, c)), sink);
    at = c;
  }
}

describe('PieceDecoder', () => {
  it('gives the same frames as FrameDecoder for every split point of a small stream', () => {
    const bytes = Buffer.concat([
      encodeFrame(FrameType.HTTP_RESPONSE, 9, encodeResponseHead({ status: 206, headers: {}, bodyLength: 5 })),
      encodeFrame(FrameType.HTTP_RESPONSE, 9, encodeResponseBody(Buffer.from('hello'))),
      encodeFrame(FrameType.HTTP_RESPONSE, 9, encodeResponseBody(Buffer.alloc(0))),
      encodeResponseCreditFrame(9, 4096),
      encodeFrame(FrameType.HEARTBEAT, 0),
      encodeFrame(FrameType.HTTP_RESPONSE, 9, encodeResponseEnd()),
    ]);
    const want = reference(bytes);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        const { sink, out } = collector();
        feed(bytes, [a, b], sink);
        expect(out).toEqual(want);
      }
    }
  });

  it('gives the same frames for random reads of a long mixed stream', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const bytes = stream(seed);
      const r = rng(seed * 7);
      const cuts: number[] = [];
      for (let at = 0; at < bytes.length;) cuts.push((at += 1 + Math.floor(r() * (r() < 0.2 ? 40 : 70000))));
      const { sink, out } = collector();
      feed(
        bytes,
        cuts.filter((c) => c < bytes.length),
        sink,
      );
      expect(out).toEqual(reference(bytes));
    }
  });

  it('hands bulk body data over as views of the reads and copies pieces under half a read', () => {
    const data = Buffer.alloc(65534, 1);
    const frame = encodeFrame(FrameType.HTTP_RESPONSE, 5, encodeResponseBody(data));
    const bytes = Buffer.concat([frame, frame]);
    const reads = [Buffer.from(bytes.subarray(0, 60000)), Buffer.from(bytes.subarray(60000))];
    const { sink, pieces } = collector();
    const d = new PieceDecoder();
    for (const c of reads) d.push(c, sink);
    expect(pieces).toHaveLength(2);
    const [first, second] = pieces;
    expect(first![0]!.buffer).toBe(reads[0]!.buffer); // 59 992 bytes of a 60 000-byte read: a view
    expect(first![1]!.buffer).not.toBe(reads[1]!.buffer); // 5 542 bytes of a 71 084-byte read: a copy
    expect(second![0]!.buffer).toBe(reads[1]!.buffer);
    expect(Buffer.concat(second!).equals(data)).toBe(true);
  });

  it('is poisoned by an unknown frame type', () => {
    const { sink } = collector();
    const d = new PieceDecoder();
    const bad = Buffer.from([0, 0, 0, 1, 0x7f, 0, 0]);
    expect(() => d.push(bad, sink)).toThrow(FrameError);
    expect(d.poisoned).toBe(true);
    expect(() => d.push(encodeFrame(FrameType.HEARTBEAT, 0), sink)).toThrow(/unusable/);
  });
});
