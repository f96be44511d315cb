// Migrations of the sharing feature (classes, in order).
import { Sharing1700002000000 } from './1700002000000-sharing.js';
export const sharingMigrations: Function[] = [Sharing1700002000000];
