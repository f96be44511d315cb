import { Server } from './server.entity.js';
import { ServerLibrary } from './server-library.entity.js';
export const serversEntities: Function[] = [Server, ServerLibrary];
