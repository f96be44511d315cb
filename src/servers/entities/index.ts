import { Server } from './server.entity.js';
import { ServerLibrary } from './server-library.entity.js';
import { ServerClaim } from './server-claim.entity.js';
import { ClaimToken } from './claim-token.entity.js';
import { ServerHeartbeat } from './server-heartbeat.entity.js';
import { ServerKeyProof } from './server-key-proof.entity.js';
export const serversEntities: Function[] = [
  Server,
  ServerLibrary,
  ServerClaim,
  ClaimToken,
  ServerHeartbeat,
  ServerKeyProof,
];
