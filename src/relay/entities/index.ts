import { RelaySession } from './relay-session.entity.js';

// Entities of the relay feature.
export const relayEntities: Function[] = [RelaySession];
