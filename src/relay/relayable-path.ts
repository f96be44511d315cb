import { HubError } from '../common/hub-error.js';
import { checkRelayPath, PathRejected } from './proxy/proxy-rules.js';

const BAD_QUERY = /[\u0000-\u001f\u007f#]/;

/** The proxy route's path rules for the other ways into the relay (media links, server origins): 400 relay.bad_path. */
export function assertRelayable(rawPath: string, query: string): void {
  try {
    checkRelayPath(rawPath);
    if (BAD_QUERY.test(query)) throw new PathRejected('control characters in the query');
  } catch (e) {
    if (e instanceof PathRejected) throw new HubError('relay.bad_path', `The path cannot be relayed: ${e.message}`);
    throw e;
  }
}
