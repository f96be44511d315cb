import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLog } from './entities/audit-log.entity.js';
import { AuditService } from './audit.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditRetentionService } from './audit-retention.service.js';
import { AdminAuditController } from './audit-admin.controller.js';
import { CommonModule } from '../common/common.module.js';
import { UsersModule } from '../users/users.module.js';

@Module({
  imports: [TypeOrmModule.forFeature([AuditLog]), CommonModule, UsersModule],
  controllers: [AdminAuditController],
  providers: [AuditRepository, AuditService, AuditQueryService, AuditRetentionService],
  exports: [AuditRepository, AuditService, AuditQueryService, AuditRetentionService],
})
export class AuditModule {}
