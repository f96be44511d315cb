// Migrations of the hub-info feature (classes, in order).
export const hubInfoMigrations: Function[] = [];
