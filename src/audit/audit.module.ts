import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLog } from './entities/audit-log.entity.js';
import { AuditService } from './audit.service.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditRetentionService } from './audit-retention.service.js';
import { AdminAuditController } from './audit-admin.controller.js';
import { CommonModule } from '../common/common.module.js';

@Module({
  imports: [TypeOrmModule.forFeature([AuditLog]), CommonModule],
  controllers: [AdminAuditController],
  providers: [AuditService, AuditQueryService, AuditRetentionService],
  exports: [AuditService, AuditQueryService, AuditRetentionService],
})
export class AuditModule {}
