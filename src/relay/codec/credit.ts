/**
 * Per-stream credit flow control: an extension of the relay protocol that only our own agent
 * speaks. Plain Phlix servers never announce it, so they never see any of this.
 *
 * Negotiation (text handshake, flat JSON fields so a depth-2 PHP decoder still reads it):
 *   HELLO     + "flow_control":"credit-v1", "credit_window":<bytes the agent lets the hub send per request body>
 *   HELLO_ACK + "flow_control":"credit-v1", "credit_window":<bytes the hub lets the agent send per response body>
 * Credit mode is on only when both messages carry it. A hub that ignores the field answers a plain
 * HELLO_ACK and the agent falls back to the plain protocol.
 *
 * On the wire, a grant rides in the stream's own frame type with a fourth chunk tag:
 *   hub → agent:   HTTP_REQUEST  (0x10) id=request id, payload 04 + uint32 BE increment (response credit)
 *   agent → hub:   HTTP_RESPONSE (0x11) id=request id, payload 04 + uint32 BE increment (request-body credit)
 * Only BODY data bytes (after the tag) count against credit; HEAD and END are always allowed.
 * A sender never has more BODY bytes outstanding than the receiver granted; a receiver that sees
 * more treats it as a protocol violation for that stream.
 */
import { encodeFrame, FrameType } from './frame.js';
import { phpJsonDecode, phpJsonEncode, type JsonStyle } from './json.js';

export const FLOW_CONTROL_CREDIT = 'credit-v1';
/** Chunk tag of a credit grant (after HEAD 01, BODY 02, END 03). */
export const CREDIT_TAG = 0x04;
export const MIN_CREDIT_WINDOW = 65534;
export const MAX_CREDIT_WINDOW = 64 * 1024 * 1024;

/** Reads the optional credit offer of a HELLO / HELLO_ACK text; null = plain protocol. */
export function readCreditOffer(text: string | Uint8Array): number | null {
  try {
    const data = phpJsonDecode(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, 2);
    if (!(data instanceof Map) || data.get('flow_control') !== FLOW_CONTROL_CREDIT) return null;
    const w = data.get('credit_window');
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < MIN_CREDIT_WINDOW || w > MAX_CREDIT_WINDOW) {
      return null;
    }
    return w;
  } catch {
    return null;
  }
}

/** HELLO of our agent: the plain three fields first, then the credit offer. */
export function encodeCreditHello(
  serverId: string,
  enrollmentJwt: string,
  window: number,
  style: JsonStyle = 'utf8',
): string {
  return phpJsonEncode(
    {
      type: 'hello',
      enrollment_jwt: enrollmentJwt,
      server_id: serverId,
      flow_control: FLOW_CONTROL_CREDIT,
      credit_window: window,
    },
    style,
  );
}

/** HELLO_ACK with the hub's credit answer (only sent to a HELLO that offered credit). */
export function encodeCreditHelloAck(
  relaySessionId: string,
  tunnelId: string,
  window: number,
  style: JsonStyle = 'utf8',
): string {
  return phpJsonEncode(
    {
      type: 'hello_ack',
      relay_session_id: relaySessionId,
      tunnel_id: tunnelId,
      flow_control: FLOW_CONTROL_CREDIT,
      credit_window: window,
    },
    style,
  );
}

export function encodeCreditPayload(increment: number): Buffer {
  if (!Number.isInteger(increment) || increment <= 0 || increment > 0xffffffff) {
    throw new RangeError(`bad credit increment ${increment}`);
  }
  const b = Buffer.allocUnsafe(5);
  b[0] = CREDIT_TAG;
  b.writeUInt32BE(increment, 1);
  return b;
}

/** The increment of a credit payload, or null when the payload is not a (valid) credit grant. */
export function decodeCreditPayload(payload: Uint8Array): number | null {
  if (payload.length !== 5 || payload[0] !== CREDIT_TAG) return null;
  const n = Buffer.from(payload.buffer, payload.byteOffset, 5).readUInt32BE(1);
  return n > 0 ? n : null;
}

/** Response credit, hub → agent. */
export function encodeResponseCreditFrame(requestId: number, increment: number): Buffer {
  return encodeFrame(FrameType.HTTP_REQUEST, requestId, encodeCreditPayload(increment));
}

/** Request-body credit, agent → hub. */
export function encodeRequestCreditFrame(requestId: number, increment: number): Buffer {
  return encodeFrame(FrameType.HTTP_RESPONSE, requestId, encodeCreditPayload(increment));
}
