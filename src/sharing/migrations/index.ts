// Migrations of the sharing feature (classes, in order).
export const sharingMigrations: Function[] = [];
