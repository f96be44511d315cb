import { FrameType } from '../codec/frame.js';
import type { TunnelStream } from '../tunnel/types.js';
import { LinkType, jsonPayload, type LinkFrame } from './link-frame.js';
import { RemoteTunnel, type LinkPort } from './remote-tunnel.js';

function fakeLink() {
  const sent: { type: LinkType; id: number }[] = [];
  const forgotten: number[] = [];
  const port: LinkPort & { congestedNow: boolean } = {
    congestedNow: false,
    get congested() {
      return this.congestedNow;
    },
    isOpen: true,
    send: (type, id) => (sent.push({ type, id }), true),
    whenDrained: () => undefined,
    forget: (id) => forgotten.push(id),
  };
  return { port, sent, forgotten };
}

function fakeStream() {
  const calls: string[] = [];
  const s: TunnelStream = {
    userId: 'u',
    serverId: 's',
    onResponsePayload: (p) => calls.push(`payload:${p.length}`),
    onCredit: (n) => calls.push(`credit:${n}`),
    onServerCancel: () => calls.push('cancel'),
    onTunnelClosed: (r) => calls.push(`closed:${r}`),
    terminate: (r) => calls.push(`terminate:${r}`),
    tick: () => undefined,
  };
  return { s, calls };
}

const frame = (type: LinkType, payload: Buffer = Buffer.alloc(0)): LinkFrame => ({ type, id: 7, payload });
const ACK = { creditMode: false, requestCredit: null, responseCredit: 0 };

describe('RemoteTunnel', () => {
  test('read holds are counted and become one HOLD and one RELEASE', () => {
    const { port, sent } = fakeLink();
    const rt = new RemoteTunnel(port, 7, 's', ACK, () => undefined);
    rt.openStream(fakeStream().s);
    rt.holdReads();
    rt.holdReads();
    rt.releaseReads();
    rt.releaseReads();
    rt.releaseReads();
    expect(sent.map((x) => x.type)).toEqual([LinkType.HOLD, LinkType.RELEASE]);
  });

  test("the owner's HOLD makes the stream congested until RELEASE, which runs the waiters", async () => {
    const { port } = fakeLink();
    const rt = new RemoteTunnel(port, 7, 's', ACK, () => undefined);
    rt.openStream(fakeStream().s);
    rt.onFrame(frame(LinkType.HOLD));
    expect(rt.congested).toBe(true);
    let ran = false;
    rt.whenDrained(() => (ran = true));
    expect(ran).toBe(false);
    rt.onFrame(frame(LinkType.RELEASE));
    expect(ran).toBe(true);
    expect(rt.congested).toBe(false);
  });

  test('frames reach the stream; TERMINATE and TUNNEL_CLOSED carry their reason', () => {
    const { port, forgotten } = fakeLink();
    const ended: RemoteTunnel[] = [];
    const rt = new RemoteTunnel(port, 7, 's', ACK, (x) => ended.push(x));
    const { s, calls } = fakeStream();
    expect(rt.openStream(s)).toBe(7);
    rt.onFrame(frame(LinkType.HTTP_RESPONSE, Buffer.alloc(5)));
    rt.onFrame(frame(LinkType.TERMINATE, jsonPayload({ reason: 'access_revoked' })));
    rt.onFrame(frame(LinkType.TUNNEL_CLOSED, jsonPayload({ reason: 'server_closed' })));
    expect(calls).toEqual(['payload:5', 'terminate:access_revoked', 'closed:server_closed']);
    expect(rt.state).toBe('closed');
    expect(forgotten).toEqual([7]);
    expect(ended).toEqual([rt]);
  });

  test('only stream frame types are forwarded, and a cancel still goes out after the stream ended', () => {
    const { port, sent } = fakeLink();
    const rt = new RemoteTunnel(port, 7, 's', ACK, () => undefined);
    rt.openStream(fakeStream().s);
    expect(() => rt.send(FrameType.HELLO, 7)).toThrow();
    rt.endStream(7);
    expect(rt.send(FrameType.HTTP_CANCEL, 7)).toBe(true);
    expect(sent).toEqual([{ type: LinkType.HTTP_CANCEL, id: 7 }]);
  });
});
