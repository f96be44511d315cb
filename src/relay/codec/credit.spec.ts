import {
  decodeCreditPayload,
  encodeCreditHello,
  encodeCreditHelloAck,
  encodeCreditPayload,
  encodeRequestCreditFrame,
  encodeResponseCreditFrame,
  readCreditOffer,
} from './credit.js';
import { decodeHello } from './handshake.js';
import { FrameDecoder } from './decoder.js';
import { FrameType } from './frame.js';

test('the credit HELLO is still a valid plain HELLO and carries the offer', () => {
  const text = encodeCreditHello('sid', 'jwt', 262144);
  expect(decodeHello(text)).toEqual({ serverId: 'sid', enrollmentJwt: 'jwt' });
  expect(readCreditOffer(text)).toBe(262144);
  expect(readCreditOffer(encodeCreditHelloAck('s', 't', 65534))).toBe(65534);
});

test.each([
  ['{"type":"hello","server_id":"s","enrollment_jwt":"j"}', null],
  ['{"flow_control":"credit-v1","credit_window":1000}', null],
  ['{"flow_control":"credit-v1","credit_window":1048576.5}', null],
  ['{"flow_control":"credit-v2","credit_window":1048576}', null],
  ['{"flow_control":"credit-v1","credit_window":"1048576"}', null],
  ['not json', null],
])('no valid offer in %s', (text, want) => {
  expect(readCreditOffer(text)).toBe(want);
});

test('credit payloads and frames', () => {
  expect(encodeCreditPayload(1).toString('hex')).toBe('0400000001');
  expect(decodeCreditPayload(encodeCreditPayload(0xffffffff))).toBe(0xffffffff);
  expect(decodeCreditPayload(Buffer.from('0400000000', 'hex'))).toBeNull();
  expect(decodeCreditPayload(Buffer.from('04000001', 'hex'))).toBeNull();
  expect(decodeCreditPayload(Buffer.from('0200000001', 'hex'))).toBeNull();
  expect(() => encodeCreditPayload(0)).toThrow(RangeError);
  const [a, b] = new FrameDecoder().push(
    Buffer.concat([encodeResponseCreditFrame(0x80000001, 10), encodeRequestCreditFrame(0x80000002, 20)]),
  );
  expect([a!.type, a!.id, decodeCreditPayload(a!.payload)]).toEqual([FrameType.HTTP_REQUEST, 0x80000001, 10]);
  expect([b!.type, b!.id, decodeCreditPayload(b!.payload)]).toEqual([FrameType.HTTP_RESPONSE, 0x80000002, 20]);
});
