import { Servers1700001000000 } from './1700001000000-servers.js';
import { ServerClaims1700001000100 } from './1700001000100-server-claims.js';
import { ClaimsHashed1700001000200 } from './1700001000200-claims-hashed.js';
import { ServersLibraryPrefix1796157564911 } from './1796157564911-library-prefix.js';
export const serversMigrations: Function[] = [
  Servers1700001000000,
  ServerClaims1700001000100,
  ClaimsHashed1700001000200,
  ServersLibraryPrefix1796157564911,
];
