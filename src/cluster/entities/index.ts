import { HubNode } from './hub-node.entity.js';

// Entities of the cluster feature.
export const clusterEntities: Function[] = [HubNode];
