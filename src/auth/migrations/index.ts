import { Auth1700000000100 } from './1700000000100-auth.js';
export const authMigrations: Function[] = [Auth1700000000100];
