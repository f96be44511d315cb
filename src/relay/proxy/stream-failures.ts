import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { ErrorCode } from '../../common/error-codes.js';
import { toErrorResponse } from '../../common/error-response.js';
import { HubError } from '../../common/hub-error.js';

/** A failure answered to the client while no response head has been written yet. */
export interface Failure {
  status: number;
  code: ErrorCode;
  message: string;
}

export const FAIL_UNREACHABLE: Failure = {
  status: 503,
  code: 'relay.server_unreachable',
  message: 'The server disconnected from the hub',
};
export const FAIL_BAD: Failure = {
  status: 502,
  code: 'relay.bad_gateway',
  message: 'The server sent an invalid response',
};
export const FAIL_TIMEOUT: Failure = {
  status: 504,
  code: 'relay.timeout',
  message: 'The server did not answer in time',
};
export const FAIL_QUOTA: Failure = {
  status: 503,
  code: 'relay.quota_exceeded',
  message: 'Your monthly relay quota is used up',
};
export const FAIL_REVOKED: Failure = {
  status: 403,
  code: 'relay.access_denied',
  message: 'Access to this server was revoked',
};

/** `{error, code}` with the hub's usual security headers; a socket that cannot take it is destroyed. */
export function writeFailure(res: ServerResponse, f: Failure): void {
  const body = JSON.stringify(toErrorResponse(new HubError(f.code, f.message, f.status)).body);
  try {
    // the reason phrase is given: a head that failed to be written before may have left its own
    res.writeHead(f.status, STATUS_CODES[f.status] ?? 'Error', {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    res.end(body);
  } catch {
    res.destroy();
  }
}
