// Migrations of the relay feature (classes, in order).
export const relayMigrations: Function[] = [];
