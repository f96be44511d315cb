import { Federation1700004000000 } from './1700004000000-federation.js';
// Migrations of the federation feature (classes, in order).
export const federationMigrations: Function[] = [Federation1700004000000];
