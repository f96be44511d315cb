import { RelaySession } from './relay-session.entity.js';
import { RelayUserLimits } from './relay-user-limits.entity.js';
import { RelayUsage } from './relay-usage.entity.js';
import { RelayStreamLease } from './relay-stream-lease.entity.js';
import { RelayClientToken } from './relay-client-token.entity.js';
import { MediaLink } from '../media-links/media-link.entity.js';
import { OriginSession } from '../origin/origin-session.entity.js';

// Entities of the relay feature.
export const relayEntities: Function[] = [
  RelaySession,
  RelayUserLimits,
  RelayUsage,
  RelayStreamLease,
  RelayClientToken,
  MediaLink,
  OriginSession,
];
