/**
 * The registry of error codes the hub answers with, and the HTTP status of each.
 * Feature modules add their codes here (keep alphabetical within a domain); `HubError` accepts only
 * these keys, so an unregistered code does not compile.
 * Body shape everywhere: { "error": "<human text>", "code": "<domain.reason>" }; validation errors
 * add `fields: [{ field, message }]`.
 */
export const ERROR_CODES = {
  // request / generic
  'request.validation_failed': 400,
  'request.malformed_json': 400,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  'request.too_deep': 400,
  'request.bad_url': 400,
  'request.malformed': 400,
  'request.uri_too_long': 414,
  'request.timeout': 408,
  'request.headers_too_large': 431,
  'route.not_found': 404,
  'method.not_allowed': 405,
  'rate.limited': 429,
  'internal.error': 500,
  'service.unavailable': 503,
  'metrics.forbidden': 403,
  'web.not_built': 503,
  // auth
  'auth.csrf_failed': 403,
  'auth.required': 401,
  'auth.invalid_token': 401,
  'auth.invalid_credentials': 401,
  'auth.wrong_password': 403,
  'auth.user_disabled': 403,
  'auth.not_admin': 403,
  'auth.forbidden': 403,
  'auth.signups_disabled': 403,
  'auth.rate_limited': 429,
  'auth.enrollment_expired': 401,
  'auth.server_mismatch': 403,
  // users
  'user.not_found': 404,
  'user.username_taken': 409,
  'user.email_taken': 409,
  'user.last_admin': 409,
  'user.cannot_modify_self': 409,
  // sharing
  'share.exists': 409,
  'share.library_not_found': 404,
  'share.not_found': 404,
  'share.not_owner': 403,
  'share.raw_channels_scope': 400,
  'share.self': 400,
  'share.user_not_found': 404,
  'invite.expired_or_exhausted': 410,
  'invite.not_found': 404,
  'invite.own_link': 400,
  'invite.share_conflict': 409,
  // federation (manual account linking; hub-to-hub API not implemented in v1)
  'federation.not_implemented': 501,
  'federation.invalid_audience': 400,
  'federation.invalid_jwks': 400,
  'federation.peer_exists': 409,
  'federation.peer_not_found': 404,
  'federation.peer_untrusted': 403,
  'federation.peer_blocked': 403,
  'federation.invalid_identity_token': 401,
  'federation.identity_token_expired': 401,
  'federation.identity_token_replayed': 401,
  'federation.wrong_audience': 401,
  // relay (HTTP over the tunnel)
  'relay.access_denied': 403,
  'relay.bad_gateway': 502,
  'relay.bad_path': 400,
  'relay.server_unreachable': 503,
  'relay.stream_limit': 503,
  'relay.server_stream_limit': 503,
  'relay.timeout': 504,
  // relay limits and client relay tokens
  'relay.quota_exceeded': 503,
  'relay.rate_limited': 429,
  'relay.token_not_found': 404,
  'media_link.not_found': 404,
  'relay.origin_entry_invalid': 401,
  'relay.origin_session_required': 401,
  // answered by the relay agent (src/agent) for its origin
  'origin.unreachable': 502,
  'origin.bad_request': 400,
  // servers (pairing, enrollment, heartbeats)
  'hub.protocol_unsupported': 400,
  'server.key_invalid': 400,
  'server.version_incompatible': 400,
  'server.not_found': 404,
  'server.owner_disabled': 403,
  'server.not_claimed': 409,
  'claim.not_found': 404,
  'claim.code_not_found': 404,
  'claim.code_expired': 410,
  'claim.code_already_claimed': 409,
  'claim.server_already_claimed': 409,
  'claim.token_invalid': 400,
  'claim.rate_limited': 429,
  'claim.key_proof_required': 403,
  'claim.key_proof_invalid': 401,
} as const satisfies Record<string, number>;

/** A registered error code: HubError and every `{error, code}` body take only these. */
export type ErrorCode = keyof typeof ERROR_CODES;
/** @deprecated use ErrorCode */
export type KnownErrorCode = ErrorCode;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

export function statusFor(code: ErrorCode): number | undefined {
  return isErrorCode(code) ? ERROR_CODES[code] : undefined;
}

export function allErrorCodes(): Record<ErrorCode, number> {
  return { ...ERROR_CODES };
}
