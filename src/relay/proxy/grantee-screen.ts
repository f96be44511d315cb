import type { RelayAction } from '../limits/relay-limits.js';
import { includes, maxPermission, type Permission } from '../../sharing/permissions.js';
import { needs } from '../../sharing/permission-model.js';
import { classifyResponse } from './response-classifier.js';
import { ACTION_OF } from './request-rules.js';
import type { Failure } from './stream-failures.js';

/** What a stream does with a response head before writing it. */
export interface ScreenResult {
  /** refuse: the client gets this failure instead (no body byte is sent) */
  refuse: Failure | null;
  /** the action the served response amounts to (re-checked when the share changes) */
  action: RelayAction;
  /** cut the body after this many bytes; null = no cap */
  cap: number | null;
}

export type ResponseScreen = (
  status: number,
  headers: Record<string, string | string[]>,
  length: number | null,
) => ScreenResult;

export const FAIL_NOT_SHARED = (why: string): Failure => ({
  status: 403,
  code: 'relay.access_denied',
  message: `Your share does not allow this: ${why}`,
});

/**
 * The response screen of a grantee holding `held` for the request's scope: the response's class
 * (response-classifier.ts) must be allowed by `held` per the permission table; a capped class
 * (unknown length) is cut at the cap unless `held` also allows what lies beyond it (download).
 */
export function granteeScreen(o: {
  method: string;
  ranged: boolean;
  playRoute: boolean;
  held: Permission;
  requestNeeds: Permission;
}): ResponseScreen {
  return (status, headers, length) => {
    const v = classifyResponse({ method: o.method, status, headers, length, ranged: o.ranged, playRoute: o.playRoute });
    const need = needs(v.cls);
    const total = maxPermission(need, o.requestNeeds) ?? 'download';
    if (need === null || !includes(o.held, need)) {
      const words = need === 'download' ? 'it is a download' : need === 'play' ? 'it is media playback' : 'owner only';
      return { refuse: FAIL_NOT_SHARED(words), action: ACTION_OF[total], cap: null };
    }
    return { refuse: null, action: ACTION_OF[total], cap: includes(o.held, 'download') ? null : v.cap };
  };
}
