import { FrameType } from '../codec/frame.js';
import { ChunkTag } from '../codec/http.js';
import type { Tunnel } from '../tunnel/tunnel.js';
import type { LinkSocket } from './link-socket.js';
import { LinkType } from './link-frame.js';
import { ForwardedStream } from './forwarded-stream.js';

/** A tunnel and a link that record what the stream does to them. */
function rig(o: { creditMode?: boolean } = {}) {
  const log: string[] = [];
  let linkDrained: (() => void) | null = null;
  const link = {
    congested: false,
    send: (type: LinkType) => (log.push(`link:${LinkType[type]}`), true),
    whenDrained: (cb: () => void) => (linkDrained = cb),
  };
  const tunnel = {
    state: 'active',
    creditMode: o.creditMode ?? false,
    congested: false,
    riders: 1,
    send: (type: FrameType) => (log.push(`tunnel:${FrameType[type]}`), true),
    sendCredit: (_id: number, n: number) => log.push(`tunnel:credit:${n}`),
    holdReads: () => log.push('hold'),
    releaseReads: () => log.push('release'),
    endStream: () => log.push('endStream'),
    whenDrained: () => undefined,
    later: () => undefined,
  };
  const ended: ForwardedStream[] = [];
  const fs = new ForwardedStream(link as unknown as LinkSocket, 3, tunnel as unknown as Tunnel, 'u', 's', 1500, (x) =>
    ended.push(x),
  );
  fs.requestId = 0x80000001;
  return { fs, log, link, tunnel, ended, drain: () => linkDrained?.() };
}

const chunk = (tag: ChunkTag) => Buffer.from([tag, 1, 2]);

describe('ForwardedStream (owner side)', () => {
  test('a cancel before the request went out ends it here without telling the server', () => {
    const { fs, log, ended } = rig();
    fs.fromIngress(LinkType.HTTP_CANCEL, Buffer.alloc(0), null);
    expect(log).toEqual(['endStream']);
    expect(ended).toEqual([fs]);
  });

  test("the ingress's HOLD holds the tunnel once; RELEASE and the end release it exactly once", () => {
    const { fs, log } = rig();
    fs.fromIngress(LinkType.HTTP_REQUEST, chunk(ChunkTag.HEAD), null);
    fs.fromIngress(LinkType.HOLD, Buffer.alloc(0), null);
    fs.fromIngress(LinkType.HOLD, Buffer.alloc(0), null);
    fs.fromIngress(LinkType.RELEASE, Buffer.alloc(0), null);
    fs.fromIngress(LinkType.HOLD, Buffer.alloc(0), null);
    fs.onResponsePayload(chunk(ChunkTag.END));
    expect(log).toEqual([
      'tunnel:HTTP_REQUEST',
      'hold',
      'release',
      'hold',
      'link:HTTP_RESPONSE',
      'endStream',
      'release',
    ]);
  });

  test('a congested link holds the tunnel until it drains', () => {
    const { fs, log, link, drain } = rig();
    link.congested = true;
    fs.onResponsePayload(chunk(ChunkTag.BODY));
    fs.onResponsePayload(chunk(ChunkTag.BODY));
    expect(log).toEqual(['link:HTTP_RESPONSE', 'hold', 'link:HTTP_RESPONSE']);
    link.congested = false;
    drain();
    expect(log.at(-1)).toBe('release');
  });

  test('a congested tunnel sends HOLD for the request body; credit passes through', () => {
    const { fs, log, tunnel } = rig({ creditMode: true });
    tunnel.congested = true;
    fs.fromIngress(LinkType.HTTP_REQUEST, chunk(ChunkTag.BODY), null);
    fs.fromIngress(LinkType.CREDIT, Buffer.alloc(4), 65536);
    fs.onCredit(1024);
    expect(log).toEqual(['tunnel:HTTP_REQUEST', 'link:HOLD', 'tunnel:credit:65536', 'link:CREDIT']);
  });

  test('terminate cancels at the server and tells the ingress; a dropped link cancels at the server', () => {
    const a = rig();
    a.fs.fromIngress(LinkType.HTTP_REQUEST, chunk(ChunkTag.HEAD), null);
    a.fs.terminate('access_revoked');
    expect(a.log).toEqual(['tunnel:HTTP_REQUEST', 'tunnel:HTTP_CANCEL', 'link:TERMINATE', 'endStream']);
    const b = rig();
    b.fs.fromIngress(LinkType.HTTP_REQUEST, chunk(ChunkTag.HEAD), null);
    b.fs.linkDropped();
    b.fs.onResponsePayload(chunk(ChunkTag.BODY)); // after the end: dropped
    expect(b.log).toEqual(['tunnel:HTTP_REQUEST', 'tunnel:HTTP_CANCEL', 'endStream']);
  });
});
