import { Users1700000000000 } from './1700000000000-users.js';
export const usersMigrations: Function[] = [Users1700000000000];
