import { usersEntities } from '../users/entities/index.js';
import { usersMigrations } from '../users/migrations/index.js';
import { authEntities } from '../auth/entities/index.js';
import { authMigrations } from '../auth/migrations/index.js';
import { serversEntities } from '../servers/entities/index.js';
import { serversMigrations } from '../servers/migrations/index.js';
import { sharingEntities } from '../sharing/entities/index.js';
import { sharingMigrations } from '../sharing/migrations/index.js';
import { relayEntities } from '../relay/entities/index.js';
import { relayMigrations } from '../relay/migrations/index.js';
import { federationEntities } from '../federation/entities/index.js';
import { federationMigrations } from '../federation/migrations/index.js';
import { auditEntities } from '../audit/entities/index.js';
import { auditMigrations } from '../audit/migrations/index.js';
import { hubInfoEntities } from '../hub-info/entities/index.js';
import { hubInfoMigrations } from '../hub-info/migrations/index.js';
import { clusterEntities } from '../cluster/entities/index.js';
import { clusterMigrations } from '../cluster/migrations/index.js';

/**
 * Every entity and migration of the hub. Each feature owns its own
 * entities/index.ts and migrations/index.ts; this file only collects them.
 * Migration class names carry a timestamp; TypeORM orders them by it.
 * Timestamp blocks: users/auth 17000000xxxxx, servers 17000010xxxxx, sharing 17000020xxxxx,
 * relay 17000030xxxxx, federation 17000040xxxxx, audit 17000050xxxxx, hub-info 17000060xxxxx; later ones carry their creation time.
 */
export const ALL_ENTITIES = [
  ...usersEntities,
  ...authEntities,
  ...serversEntities,
  ...sharingEntities,
  ...relayEntities,
  ...federationEntities,
  ...auditEntities,
  ...hubInfoEntities,
  ...clusterEntities,
];

export const ALL_MIGRATIONS = [
  ...usersMigrations,
  ...authMigrations,
  ...serversMigrations,
  ...sharingMigrations,
  ...relayMigrations,
  ...federationMigrations,
  ...auditMigrations,
  ...hubInfoMigrations,
  ...clusterMigrations,
];
