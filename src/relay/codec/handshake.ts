/**
 * Text handshake (docs/protocol/wire.md §1). HELLO and HELLO_ACK travel as JSON text
 * WebSocket messages, never as binary frames; binary mode starts after the ack.
 * This file only handles the text shapes; verifying the enrollment JWT is the
 * tunnel's job.
 */
import { HandshakeError } from './errors.js';
import { phpJsonDecode, phpJsonEncode, type JsonStyle, type PhpJson } from './json.js';

export interface Hello {
  enrollmentJwt: string;
  serverId: string;
}

export interface HelloAck {
  relaySessionId: string;
  tunnelId: string;
}

/** `{"type":"hello","enrollment_jwt":…,"server_id":…}` (server → hub). */
export function encodeHello(hello: Hello, style: JsonStyle = 'php'): string {
  return phpJsonEncode({ type: 'hello', enrollment_jwt: hello.enrollmentJwt, server_id: hello.serverId }, style);
}

/** `{"type":"hello_ack","relay_session_id":…,"tunnel_id":…}` (hub → server). */
export function encodeHelloAck(ack: HelloAck, style: JsonStyle = 'php'): string {
  return phpJsonEncode({ type: 'hello_ack', relay_session_id: ack.relaySessionId, tunnel_id: ack.tunnelId }, style);
}

/**
 * Checks a HELLO text in the reference hub's order: JSON object of depth ≤ 2
 * (`invalid_hello`), non-empty string `server_id` (`missing_server_id`),
 * `type` = "hello" (`invalid_hello`), string `enrollment_jwt`
 * (`invalid_hello_payload`). Throws HandshakeError whose `reason` is the
 * WebSocket close reason.
 */
export function decodeHello(text: string | Uint8Array): Hello {
  let data: PhpJson;
  try {
    data = phpJsonDecode(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, 2);
  } catch {
    throw new HandshakeError('invalid_hello', 'HELLO is not valid JSON');
  }
  if (!(data instanceof Map) && !Array.isArray(data)) {
    throw new HandshakeError('invalid_hello', 'HELLO must be a JSON object');
  }
  const get = (key: string): PhpJson | undefined => (data instanceof Map ? data.get(key) : undefined);
  const serverId = get('server_id');
  if (typeof serverId !== 'string' || serverId === '') {
    throw new HandshakeError('missing_server_id', 'HELLO has no server_id');
  }
  if (get('type') !== 'hello') throw new HandshakeError('invalid_hello', 'HELLO type must be "hello"');
  const enrollmentJwt = get('enrollment_jwt');
  if (typeof enrollmentJwt !== 'string') {
    throw new HandshakeError('invalid_hello_payload', 'HELLO enrollment_jwt must be a string');
  }
  return { enrollmentJwt, serverId };
}
