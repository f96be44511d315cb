import { Servers1700001000000 } from './1700001000000-servers.js';
import { ServerClaims1700001000100 } from './1700001000100-server-claims.js';
import { ClaimsHashed1700001000200 } from './1700001000200-claims-hashed.js';
export const serversMigrations: Function[] = [Servers1700001000000, ServerClaims1700001000100, ClaimsHashed1700001000200];
