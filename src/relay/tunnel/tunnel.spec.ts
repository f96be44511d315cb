import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import { FrameType, encodeFrame, SERVER_ACCEPTS } from '../codec/index.js';
import { Tunnel, type TunnelHost, type TunnelStream } from './tunnel.js';

class FakeWs extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  sent: (Buffer | string)[] = [];
  paused = 0;
  resumed = 0;
  closedWith: [number, string] | null = null;
  send(d: Buffer | string) {
    this.sent.push(d);
  }
  pause() {
    this.paused++;
  }
  resume() {
    this.resumed++;
  }
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
    this.readyState = 3;
  }
  terminate() {
    this.readyState = 3;
  }
}

function make() {
  const ws = new FakeWs();
  const closed: string[] = [];
  const hellos: Buffer[] = [];
  const host: TunnelHost = {
    now: () => 1000,
    onHello: (_t, text) => hellos.push(text),
    onClosed: (_t, r) => closed.push(r),
  };
  const t = new Tunnel(ws as unknown as WebSocket, '127.0.0.1', host);
  return { ws, t, closed, hellos };
}

function stream(over: Partial<TunnelStream> = {}): TunnelStream & { got: Buffer[]; ended: string[] } {
  const got: Buffer[] = [];
  const ended: string[] = [];
  return {
    userId: 'u',
    serverId: 's',
    got,
    ended,
    onResponsePayload: (p) => got.push(p),
    onCredit: () => undefined,
    onServerCancel: () => ended.push('cancel'),
    onTunnelClosed: (r) => ended.push(`closed:${r}`),
    terminate: (r) => ended.push(`terminate:${r}`),
    tick: () => undefined,
    ...over,
  };
}

test('never sends a type a plain Phlix server does not handle', () => {
  const { t } = make();
  t.activate('s', 'sess', null, 0);
  for (let type = 1; type <= 0x12; type++) {
    if (SERVER_ACCEPTS.has(type)) expect(t.send(type, 0)).toBe(true);
    else expect(() => t.send(type as FrameType, 0)).toThrow(/refusing/);
  }
  t.sendCredit(1, 100); // not negotiated: nothing
  expect(t.bytesOut).toBe(8 * 7);
});

test('text HELLO goes to the host once; binary before activation closes with protocol_error', () => {
  const { ws, t, closed, hellos } = make();
  ws.emit('message', Buffer.from('{"type":"hello"}'), false);
  expect(hellos.length).toBe(1);
  ws.emit('message', encodeFrame(FrameType.HEARTBEAT, 0), true);
  expect(closed).toEqual(['protocol_error']);
  expect(t.state).toBe('closed');
  expect(ws.closedWith).toEqual([1002, 'protocol_error']);
});

test('routing: responses to their stream, unknown ids dropped, a throwing handler ends only its stream', () => {
  const { ws, t, closed } = make();
  t.activate('s', 'sess', null, 0);
  const a = stream();
  const b = stream({
    onResponsePayload: () => {
      throw new Error('boom');
    },
  });
  const ida = t.openStream(a);
  const idb = t.openStream(b);
  expect(idb).toBe(ida + 1);
  ws.emit(
    'message',
    Buffer.concat([
      encodeFrame(FrameType.HTTP_RESPONSE, ida, Buffer.from([3])),
      encodeFrame(FrameType.HTTP_RESPONSE, 0x9999, Buffer.from([3])),
      encodeFrame(FrameType.HTTP_RESPONSE, idb, Buffer.from([3])),
    ]),
    true,
  );
  expect(a.got.length).toBe(1);
  expect(b.ended).toEqual(['terminate:internal_error']);
  expect(t.state).toBe('active');
  expect(t.streamCount).toBe(1);
  ws.emit('message', encodeFrame(FrameType.HTTP_CANCEL, ida), true);
  expect(a.ended).toEqual(['cancel']);
  ws.emit('close');
  expect(closed).toEqual(['server_closed']);
  expect(a.ended).toEqual(['cancel', 'closed:server_closed']);
});

test('read holds are counted: one pause, one resume', () => {
  const { ws, t } = make();
  t.activate('s', 'sess', null, 0);
  t.holdReads();
  t.holdReads();
  t.releaseReads();
  expect([ws.paused, ws.resumed, t.readsHeld]).toEqual([1, 0, true]);
  t.releaseReads();
  t.releaseReads();
  expect([ws.paused, ws.resumed, t.readsHeld]).toEqual([1, 1, false]);
});

test('a retired tunnel drains: no new streams, closes when its last stream ends', () => {
  const { t, closed } = make();
  t.activate('s', 'sess', null, 0);
  const id = t.openStream(stream());
  t.retire(60_000);
  expect(t.state).toBe('draining');
  expect(() => t.openStream(stream())).toThrow();
  t.endStream(id);
  expect(closed).toEqual(['server_replaced']);
});
