// Migrations of the federation feature (classes, in order).
export const federationMigrations: Function[] = [];
