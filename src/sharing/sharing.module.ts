import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InviteLink } from './entities/invite-link.entity.js';
import { SharingStore } from './sharing-store.js';
import { SharesService } from './shares.service.js';
import { InvitesService } from './invites.service.js';
import { InvitesRepository } from './invites.repository.js';
import { SharingCascades } from './sharing-cascades.service.js';
import { SharingAdminService } from './sharing-admin.service.js';
import { AdminSharingController } from './sharing-admin.controller.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { ServersStoreModule } from '../servers/servers-store.module.js';
import { UsersModule } from '../users/users.module.js';
import { RelayModule } from '../relay/relay.module.js';
import { SharesController } from './shares.controller.js';
import { InvitesController } from './invites.controller.js';
import { ServerSharesController } from './server-shares.controller.js';
import { SharingAccessModule } from './sharing-access.module.js';

/**
 * Library shares, invite links and their routes; the access decisions the relay enforces come
 * from SharingAccessModule (re-exported here). Views show whether a share's server is connected
 * through RelayPresence, which RelayModule binds (the relay imports only SharingAccessModule).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([InviteLink]),
    SharingAccessModule,
    ServersStoreModule,
    UsersModule,
    RelayModule,
    CommonModule,
    AuditModule,
  ],
  controllers: [SharesController, InvitesController, ServerSharesController, AdminSharingController],
  providers: [SharingStore, SharesService, InvitesService, InvitesRepository, SharingCascades, SharingAdminService],
  exports: [SharingAccessModule, SharingAdminService],
})
export class SharingModule {}
