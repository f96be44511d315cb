import { reconnectChoice, isDrainSignal, isFatalClose } from './reconnect.js';
import { disconnectReason } from './agent-tunnel.js';

describe('reconnect choice', () => {
  test('a draining hub: a tunnel that was up is replaced at once (notice or close 1012)', () => {
    expect(reconnectChoice({ reason: 'hub_draining', wasUp: true })).toBe(0);
    expect(reconnectChoice({ reason: 'hub_draining', code: 1012, wasUp: true })).toBe(0);
    expect(reconnectChoice({ reason: 'service_restart', code: 1012, wasUp: true })).toBe(0);
  });

  test('a draining hub that refuses the new tunnel as well is met with the backoff', () => {
    expect(reconnectChoice({ reason: 'hub_draining', code: 1012, wasUp: false })).toBe('backoff');
  });

  test('ordinary failures keep the backoff', () => {
    for (const reason of ['server_shutdown', 'hub_timeout', 'closed_1006', 'connect ECONNREFUSED 127.0.0.1:1']) {
      expect(reconnectChoice({ reason, code: reason === 'server_shutdown' ? 1001 : 1006, wasUp: true })).toBe(
        'backoff',
      );
    }
    expect(reconnectChoice({ reason: 'server_replaced', code: 1000, wasUp: true })).toBe('backoff');
  });

  test('our own renewal comes back almost at once; a lost enrollment stops', () => {
    expect(reconnectChoice({ reason: 'enrollment_changed', code: 1000, wasUp: true })).toBe(50);
    expect(reconnectChoice({ reason: 'server_released', code: 1000, wasUp: true })).toBe('stop');
    expect(reconnectChoice({ reason: 'server.unclaimed', wasUp: false })).toBe('stop');
    expect(isFatalClose('server.reclaimed')).toBe(true);
    expect(isFatalClose('hub_draining')).toBe(false);
  });

  test('drain signals', () => {
    expect(isDrainSignal('hub_draining')).toBe(true);
    expect(isDrainSignal('', 1012)).toBe(true);
    expect(isDrainSignal('server_shutdown', 1001)).toBe(false);
  });
});

test('DISCONNECTED payloads', () => {
  expect(disconnectReason(Buffer.from('{"reason":"hub_draining"}'))).toBe('hub_draining');
  expect(disconnectReason(Buffer.from('{"reason":7}'))).toBeNull();
  expect(disconnectReason(Buffer.from('null'))).toBeNull();
  expect(disconnectReason(Buffer.from('not json'))).toBeNull();
  expect(disconnectReason(Buffer.alloc(0))).toBeNull();
});
