/** FramePool and the masking policy of the agent's WebSocket. */
import { MAX_BODY_FRAME } from '../relay/codec/index.js';
import { FramePool, maskOption } from './frame-pool.js';

describe('FramePool', () => {
  test('gives back the buffers it was given, each big enough for any BODY frame', () => {
    const pool = new FramePool(2);
    const a = pool.take();
    const b = pool.take();
    expect(a).not.toBe(b);
    expect(a.length).toBe(MAX_BODY_FRAME);
    pool.give(a);
    expect(pool.take()).toBe(a);
  });

  test('keeps no more than its limit', () => {
    const pool = new FramePool(2);
    const bufs = [pool.take(), pool.take(), pool.take()];
    for (const b of bufs) pool.give(b);
    expect(pool.idle).toBe(2);
  });
});

describe('maskOption', () => {
  const masks = (url: string) => {
    const o = maskOption(url);
    if (!o.generateMask) return 'random';
    const m = Buffer.from([1, 2, 3, 4]);
    o.generateMask(m);
    return m.equals(Buffer.alloc(4)) ? 'zero' : 'other';
  };

  test.each([
    ['wss://hub.example.com/api/v1/relay/tunnel', 'zero'],
    ['https://hub.example.com/api/v1/relay/tunnel', 'zero'],
    ['ws://127.0.0.1:8800/api/v1/relay/tunnel', 'zero'],
    ['ws://localhost:8800/api/v1/relay/tunnel', 'zero'],
    ['ws://[::1]:8800/api/v1/relay/tunnel', 'zero'],
    ['ws://hub.example.com/api/v1/relay/tunnel', 'random'],
    ['ws://192.168.1.20:8800/api/v1/relay/tunnel', 'random'],
    ['http://127.0.0.2.example.com/x', 'random'],
  ])('%s → %s key', (url, want) => {
    expect(masks(url)).toBe(want);
  });
});
