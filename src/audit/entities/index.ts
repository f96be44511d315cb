import { AuditLog } from './audit-log.entity.js';
export const auditEntities: Function[] = [AuditLog];
