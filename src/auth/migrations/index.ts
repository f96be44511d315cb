import { Auth1700000000100 } from './1700000000100-auth.js';
import { AuthSessions1700000000200 } from './1700000000200-auth-sessions.js';
export const authMigrations: Function[] = [Auth1700000000100, AuthSessions1700000000200];
