import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CommonModule } from '../common/common.module.js';
import { UsersModule } from './users.module.js';
import { AdminUsersController } from './users-admin.controller.js';
import { AdminUsersService } from './users-admin.service.js';
import { MeProfileController } from './me-profile.controller.js';

/**
 * The operator's account routes (`/api/v1/admin/users`) and a user's own profile change (audited). Apart from UsersModule because they revoke
 * sessions (auth), and auth itself builds on UsersModule.
 */
@Module({
  imports: [UsersModule, AuthModule, AuditModule, CommonModule],
  controllers: [AdminUsersController, MeProfileController],
  providers: [AdminUsersService],
})
export class UsersAdminModule {}
