import { HubError } from '../../common/hub-error.js';
import type { AccessDecision, AccessService } from '../../sharing/access.service.js';
import type { RelayAction } from '../limits/relay-limits.js';
import type { OriginProfiles } from './origin-profile.js';
import { normalizePath, PathNotNormal, underPrefix } from './path-normalize.js';
import { ACTION_OF, judgeRequest, phlixLibraryOf, requestNeeds } from './request-rules.js';
import { granteeScreen, type ResponseScreen } from './grantee-screen.js';

export interface TargetInput {
  userId: string;
  serverId: string;
  method: string;
  /** the path as the client sent it (after checkRelayPath) */
  rawPath: string;
  query: string;
  ranged: boolean;
}

export interface TargetDecision {
  decision: AccessDecision & { role: 'owner' | 'grantee' };
  /** the normalised path, encoded: exactly what is sent to the server */
  wire: string;
  /** the same path decoded: what was judged */
  path: string;
  action: RelayAction;
  libraryId: string | null;
  wholeServerOnly: boolean;
  /** grantees: the response screen */
  screen?: ResponseScreen;
}

/**
 * Who may send this request, on which library, and how its response will be judged:
 * normalise the path once, apply the request rules of the origin's kind, map the path to a
 * library (Phlix: /api/v1/libraries/{id}/…; generic origin: its declared prefixes, and a path
 * under none of them needs a whole-server grant), ask AccessService. 404 for strangers, 403
 * relay.access_denied for what the share does not allow.
 */
export async function resolveTarget(
  deps: { access: Pick<AccessService, 'decide'>; profiles: Pick<OriginProfiles, 'of'> },
  i: TargetInput,
): Promise<TargetDecision> {
  const profile = await deps.profiles.of(i.serverId);
  let norm;
  try {
    norm = normalizePath(i.rawPath, { foldCase: profile.foldCase });
  } catch (e) {
    if (e instanceof PathNotNormal) throw new HubError('relay.bad_path', `The path cannot be relayed: ${e.message}`);
    throw e;
  }
  const verdict = judgeRequest(profile.kind, i.method, norm.decoded, i.query);
  const reqNeeds = requestNeeds(verdict);
  let libraryId: string | null;
  let wholeServerOnly = false;
  if (profile.kind === 'generic') {
    // a library of a generic origin is its declared prefix: a share of it reaches nothing else
    const lib = profile.libraries.find((l) => underPrefix(norm.decoded, l.prefix));
    libraryId = lib?.id ?? null;
    wholeServerOnly = !lib;
  } else {
    libraryId = phlixLibraryOf(norm.decoded);
  }
  const action = ACTION_OF[reqNeeds ?? 'download'];
  const d = await deps.access.decide(i.userId, i.serverId, libraryId, action, wholeServerOnly ? 'whole' : 'any');
  if (d.role === null) throw new HubError('server.not_found', 'No such server');
  const decision = d as AccessDecision & { role: 'owner' | 'grantee' };
  const base = { decision, wire: norm.wire, path: norm.decoded, action, libraryId, wholeServerOnly };
  if (d.role === 'owner') return base;
  if (reqNeeds === null) throw new HubError('relay.access_denied', 'Only the owner may do this through the relay');
  if (!d.allowed || !d.permission) {
    throw new HubError(
      'relay.access_denied',
      libraryId === null && wholeServerOnly
        ? 'This path is outside the libraries shared with you'
        : 'Your share does not allow this',
    );
  }
  const screen = granteeScreen({
    method: i.method,
    ranged: i.ranged,
    playRoute: verdict.playRoute,
    held: d.permission,
    requestNeeds: reqNeeds,
  });
  return { ...base, screen };
}
