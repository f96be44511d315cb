import { Servers1700001000000 } from './1700001000000-servers.js';
export const serversMigrations: Function[] = [Servers1700001000000];
