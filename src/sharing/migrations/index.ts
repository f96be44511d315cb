// Migrations of the sharing feature (classes, in order).
import { Sharing1700002000000 } from './1700002000000-sharing.js';
import { SharingRawChannelsExpiry1796157570000 } from './1796157570000-raw-channels-expiry.js';
export const sharingMigrations: Function[] = [Sharing1700002000000, SharingRawChannelsExpiry1796157570000];
