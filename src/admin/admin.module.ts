import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { SharingModule } from '../sharing/sharing.module.js';
import { AdminSharingController } from './admin-sharing.controller.js';
import { ServersModule } from '../servers/servers.module.js';
import { AdminServersController } from './admin-servers.controller.js';
import { AdminServersService } from './admin-servers.service.js';

@Module({
  imports: [UsersModule, AuthModule, SharingModule, ServersModule],
  controllers: [AdminUsersController, AdminSharingController, AdminServersController],
  providers: [AdminUsersService, AdminServersService],
})
export class AdminModule {}
