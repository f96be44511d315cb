import { RefreshToken } from './refresh-token.entity.js';
export const authEntities: Function[] = [RefreshToken];
