import { encodeFrame, FrameType } from '../codec/frame.js';
import {
  creditPayload,
  decodeLinkFrame,
  encodeLinkFrame,
  jsonPayload,
  LinkFrameError,
  LinkType,
  parseJsonPayload,
  readCredit,
} from './link-frame.js';

describe('cluster link frames', () => {
  test('relay types keep the relay layout byte for byte', () => {
    const payload = Buffer.from([1, 2, 3, 4]);
    expect(encodeLinkFrame(LinkType.HTTP_REQUEST, 0x80000001, payload)).toEqual(
      encodeFrame(FrameType.HTTP_REQUEST, 0x80000001, payload),
    );
  });

  test('link-only types round-trip with their id and payload', () => {
    for (const type of [LinkType.OPEN, LinkType.OPEN_ACK, LinkType.NOT_HERE, LinkType.HOLD, LinkType.TERMINATE]) {
      const f = decodeLinkFrame(encodeLinkFrame(type, 42, jsonPayload({ reason: 'x' })));
      expect(f.type).toBe(type);
      expect(f.id).toBe(42);
      expect(parseJsonPayload(f.payload)).toEqual({ reason: 'x' });
    }
  });

  test('unknown types, short frames, length mismatches and oversized payloads are refused', () => {
    const bad = encodeLinkFrame(LinkType.HOLD, 1);
    bad[4] = FrameType.HELLO; // a relay type the link never carries
    expect(() => decodeLinkFrame(bad)).toThrow(LinkFrameError);
    expect(() => decodeLinkFrame(Buffer.alloc(6))).toThrow(LinkFrameError);
    const long = Buffer.concat([encodeLinkFrame(LinkType.DATA, 1, Buffer.alloc(3)), Buffer.alloc(1)]);
    expect(() => decodeLinkFrame(long)).toThrow(LinkFrameError);
    expect(() => decodeLinkFrame(encodeLinkFrame(LinkType.DATA, 1, Buffer.alloc(3)).subarray(0, 9))).toThrow(
      LinkFrameError,
    );
    expect(() => encodeLinkFrame(LinkType.DATA, 1, Buffer.alloc(0x10000))).toThrow(LinkFrameError);
    expect(() => encodeLinkFrame(LinkType.DATA, -1)).toThrow(LinkFrameError);
    expect(() => encodeLinkFrame(0x7f as LinkType, 1)).toThrow(LinkFrameError);
  });

  test('credit payloads are four bytes, clamped to uint32', () => {
    expect(readCredit(creditPayload(65536))).toBe(65536);
    expect(readCredit(creditPayload(2 ** 40))).toBe(0xffffffff);
    expect(readCredit(creditPayload(-5))).toBe(0);
    expect(readCredit(Buffer.alloc(3))).toBeNull();
  });

  test('JSON payloads must be objects', () => {
    expect(parseJsonPayload(Buffer.from('[1]'))).toBeNull();
    expect(parseJsonPayload(Buffer.from('null'))).toBeNull();
    expect(parseJsonPayload(Buffer.from('{'))).toBeNull();
  });
});
