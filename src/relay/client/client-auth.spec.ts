import type { IncomingMessage } from 'node:http';
import { presentedToken } from './client-gateway.js';
import { channelTargetOf } from '../../agent/channel-bridge.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('presentedToken', () => {
  test('Authorization: Bearer wins; the bearer subprotocol carries it otherwise', () => {
    expect(presentedToken(req({ authorization: 'Bearer phr_abc' }))).toBe('phr_abc');
    expect(presentedToken(req({ authorization: 'bearer   phr_abc ' }))).toBe('phr_abc');
    expect(presentedToken(req({ 'sec-websocket-protocol': 'bearer, phr_xyz' }))).toBe('phr_xyz');
    expect(presentedToken(req({ 'sec-websocket-protocol': 'phr_xyz, bearer' }))).toBe('phr_xyz');
  });

  test('nothing without the bearer marker, a Basic header or an empty list', () => {
    expect(presentedToken(req({ 'sec-websocket-protocol': 'phr_xyz' }))).toBeNull();
    expect(presentedToken(req({ 'sec-websocket-protocol': 'bearer' }))).toBeNull();
    expect(presentedToken(req({ authorization: 'Basic dXNlcjpwdw==' }))).toBeNull();
    expect(presentedToken(req({}))).toBeNull();
  });
});

describe('agent channel target', () => {
  const origin = new URL('http://192.168.1.5:8096/jellyfin');
  test('defaults to the origin host and port (80/443 when implicit)', () => {
    expect(channelTargetOf(undefined, origin)).toEqual({ host: '192.168.1.5', port: 8096 });
    expect(channelTargetOf(undefined, new URL('https://nas.local/'))).toEqual({ host: 'nas.local', port: 443 });
    expect(channelTargetOf(undefined, new URL('http://[::1]/'))).toEqual({ host: '::1', port: 80 });
  });

  test('host:port, tcp://host:port, [v6]:port or none; anything else is refused', () => {
    expect(channelTargetOf('127.0.0.1:7000', origin)).toEqual({ host: '127.0.0.1', port: 7000 });
    expect(channelTargetOf('tcp://media:22', origin)).toEqual({ host: 'media', port: 22 });
    expect(channelTargetOf('[::1]:9000', origin)).toEqual({ host: '::1', port: 9000 });
    expect(channelTargetOf('none', origin)).toBeNull();
    for (const bad of ['media', 'media:0', 'media:70000', 'http://media:80/x', ':80']) {
      expect(() => channelTargetOf(bad, origin)).toThrow(/channel-target/);
    }
  });
});
