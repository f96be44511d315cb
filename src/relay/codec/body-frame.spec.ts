/** encodeBodyFrame: the bytes of encodeFrame(type, id, BODY chunk), and the same refusals. */
import { randomBytes } from 'node:crypto';
import {
  encodeBodyFrame,
  encodeFrame,
  encodeRequestBody,
  encodeResponseBody,
  FrameError,
  FrameType,
  HttpPayloadError,
  MAX_BODY_CHUNK,
} from './index.js';

describe('encodeBodyFrame', () => {
  test.each([0, 1, 125, 4096, MAX_BODY_CHUNK])('a %i-byte chunk: same bytes as the two-step encoding', (n) => {
    const chunk = randomBytes(n);
    for (const id of [0, 7, 0xffffffff]) {
      expect(encodeBodyFrame(FrameType.HTTP_RESPONSE, id, chunk)).toEqual(
        encodeFrame(FrameType.HTTP_RESPONSE, id, encodeResponseBody(chunk)),
      );
      expect(encodeBodyFrame(FrameType.HTTP_REQUEST, id, chunk)).toEqual(
        encodeFrame(FrameType.HTTP_REQUEST, id, encodeRequestBody(chunk)),
      );
    }
  });

  test('a view into a larger buffer is copied, not aliased', () => {
    const big = randomBytes(1000);
    const f = encodeBodyFrame(FrameType.HTTP_RESPONSE, 3, big.subarray(100, 200));
    big.fill(0);
    expect(f.subarray(8).equals(Buffer.alloc(100))).toBe(false);
    expect(f.length).toBe(7 + 1 + 100);
  });

  test('refuses an oversized chunk and an id outside uint32 like encodeFrame does', () => {
    expect(() => encodeBodyFrame(FrameType.HTTP_RESPONSE, 1, Buffer.alloc(MAX_BODY_CHUNK + 1))).toThrow(
      HttpPayloadError,
    );
    expect(() => encodeBodyFrame(FrameType.HTTP_RESPONSE, -1, Buffer.alloc(1))).toThrow(FrameError);
    expect(() => encodeBodyFrame(FrameType.HTTP_RESPONSE, 2 ** 32, Buffer.alloc(1))).toThrow(FrameError);
  });
});
