import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Server } from '../servers/entities/server.entity.js';
import { ServerLibrary } from '../servers/entities/server-library.entity.js';
import { User } from '../users/entities/user.entity.js';
import { LibraryShare } from './entities/library-share.entity.js';
import { InviteLink } from './entities/invite-link.entity.js';
import { SharingStore } from './sharing-store.js';
import { SharesService } from './shares.service.js';
import { InvitesService } from './invites.service.js';
import { AccessService } from './access.service.js';
import { SharingCascades } from './sharing-cascades.service.js';
import { SharingAdminService } from './sharing-admin.service.js';
import { AdminSharingController } from './sharing-admin.controller.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { SharesController } from './shares.controller.js';
import { InvitesController } from './invites.controller.js';
import { ServerSharesController } from './server-shares.controller.js';
import { ExpiredSharesRepository } from './expired-shares.repository.js';

/** Library shares, invite links and the access decisions the relay enforces. */
@Module({
  imports: [TypeOrmModule.forFeature([LibraryShare, InviteLink, Server, ServerLibrary, User]), CommonModule, AuditModule],
  controllers: [SharesController, InvitesController, ServerSharesController, AdminSharingController],
  providers: [SharingStore, SharesService, InvitesService, AccessService, SharingCascades, SharingAdminService, ExpiredSharesRepository],
  exports: [AccessService, SharingAdminService, ExpiredSharesRepository],
})
export class SharingModule {}
