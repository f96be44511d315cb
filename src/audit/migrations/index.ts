import { Audit1700000500000 } from './1700000500000-audit.js';
export const auditMigrations: Function[] = [Audit1700000500000];
