// Migrations of the servers feature (classes, in order).
export const serversMigrations: Function[] = [];
