import { RelaySessions1700003000000 } from './1700003000000-relay-sessions.js';
import { RelayLimits1700003010000 } from './1700003010000-relay-limits.js';
import { RelayClientTokens1700003020000 } from './1700003020000-relay-client-tokens.js';
import { RelayMediaLinks1796171657704 } from '../media-links/media-links.migration.js';
import { RelayOriginSessions1796172400000 } from '../origin/origin-sessions.migration.js';

// Migrations of the relay feature (classes, in order).
export const relayMigrations: Function[] = [
  RelaySessions1700003000000,
  RelayLimits1700003010000,
  RelayClientTokens1700003020000,
  RelayMediaLinks1796171657704,
  RelayOriginSessions1796172400000,
];
