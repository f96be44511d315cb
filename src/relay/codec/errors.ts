/**
 * Typed errors raised by the relay codec. Every failure the codec reports on
 * bad input is one of these; anything else escaping the codec is a bug.
 */

/** Base class: every codec error carries a stable machine-readable `code`. */
export class RelayCodecError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export type FrameErrorCode =
  /** type byte is not one of the 18 known codes */
  | 'frame.unknown_type'
  /** payload longer than the configured / wire maximum */
  | 'frame.too_large'
  /** the 4-byte id is not an integer in 0..0xFFFFFFFF */
  | 'frame.invalid_id'
  /** partial data held by the decoder would exceed its buffer cap */
  | 'frame.buffer_overflow'
  /** push() was given something that is not bytes */
  | 'frame.invalid_input'
  /** the decoder failed earlier and refuses further input */
  | 'frame.poisoned'
  /** unexpected exception inside the decoder (a bug), wrapped to keep the contract */
  | 'frame.internal_error';

/**
 * Framing error: the byte stream itself is broken. A tunnel that sees one
 * cannot resynchronise and should be closed (`invalid_frame`).
 */
export class FrameError extends RelayCodecError {
  declare readonly code: FrameErrorCode;

  constructor(code: FrameErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export type HttpPayloadErrorCode =
  /** HTTP_REQUEST / HTTP_RESPONSE payload with no tag byte */
  | 'http.empty_chunk'
  /** chunk tag other than 0x01/0x02/0x03 */
  | 'http.unknown_tag'
  /** JSON head/envelope does not parse (syntax, depth, UTF-8, …) */
  | 'http.malformed_json'
  /** a field has the wrong type or value */
  | 'http.invalid_field'
  /** envelope failed the server's safety rules (method allow-list, path rules) */
  | 'http.unsafe_request'
  /** BODY chunk larger than 65534 bytes */
  | 'http.chunk_too_large'
  /** value cannot be encoded (e.g. a lone UTF-16 surrogate in a header) */
  | 'http.encode_failed';

/**
 * Error inside one HTTP-over-relay payload. It concerns a single request id,
 * not the tunnel: the framing is intact. Messages match the PHP classes.
 */
export class HttpPayloadError extends RelayCodecError {
  declare readonly code: HttpPayloadErrorCode;

  constructor(code: HttpPayloadErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Close reasons used by the reference hub when the text HELLO is bad. */
export type HandshakeCloseReason = 'invalid_hello' | 'missing_server_id' | 'invalid_hello_payload';

/** Bad HELLO text message. `reason` is the close reason to send. */
export class HandshakeError extends RelayCodecError {
  readonly reason: HandshakeCloseReason;

  constructor(reason: HandshakeCloseReason, message: string) {
    super(`handshake.${reason}`, message);
    this.reason = reason;
  }
}
