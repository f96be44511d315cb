import { RelaySessions1700003000000 } from './1700003000000-relay-sessions.js';

// Migrations of the relay feature (classes, in order).
export const relayMigrations: Function[] = [RelaySessions1700003000000];
