import { HubNodes1796180000000 } from './1796180000000-hub-nodes.js';

// Migrations of the cluster feature (classes, in order).
export const clusterMigrations: Function[] = [HubNodes1796180000000];
