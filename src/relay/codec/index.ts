/** Relay wire codec: frames, streaming decoder, HTTP-over-relay payloads, text handshake. */
export * from './errors.js';
export * from './frame.js';
export * from './decoder.js';
export * from './json.js';
export { isPhpIntegerKey, type HttpHeaders } from './fields.js';
export * from './envelope.js';
export * from './http.js';
export * from './handshake.js';
