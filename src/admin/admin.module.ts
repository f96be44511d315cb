import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { SharingModule } from '../sharing/sharing.module.js';
import { AdminSharingController } from './admin-sharing.controller.js';

@Module({
  imports: [UsersModule, AuthModule, SharingModule],
  controllers: [AdminUsersController, AdminSharingController],
  providers: [AdminUsersService],
})
export class AdminModule {}
