import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { RelayModule } from '../relay/relay.module.js';
import { User } from '../users/entities/user.entity.js';
import { Server } from '../servers/entities/server.entity.js';
import { ServerLibrary } from '../servers/entities/server-library.entity.js';
import { LibraryShare } from '../sharing/entities/library-share.entity.js';
import { AdminTrustedHubsController } from './trusted-hubs-admin.controller.js';
import { TrustedHub } from './entities/trusted-hub.entity.js';
import { UsedIdentityToken } from './entities/used-identity-token.entity.js';
import { FederationStubsController } from './federation-stubs.controller.js';
import { IdentityController } from './identity.controller.js';
import { IdentityService } from './identity.service.js';
import { TrustedHubsService } from './trusted-hubs.service.js';
import { UserTransferService } from './transfer/user-transfer.service.js';
import { ServerExportService } from './transfer/server-export.service.js';
import { ShareTransferService } from './transfer/share-transfer.service.js';

/**
 * Federation in v1: the future hub-to-hub API answers 501; manual account linking (trusted hubs,
 * identity tokens, shadow accounts) and the migration export/import services are real.
 */
@Module({
  imports: [TypeOrmModule.forFeature([TrustedHub, UsedIdentityToken, User, Server, ServerLibrary, LibraryShare]), UsersModule, AuthModule, CommonModule, AuditModule, RelayModule],
  controllers: [FederationStubsController, IdentityController, AdminTrustedHubsController],
  providers: [TrustedHubsService, IdentityService, UserTransferService, ServerExportService, ShareTransferService],
  exports: [TrustedHubsService, IdentityService, UserTransferService, ServerExportService, ShareTransferService],
})
export class FederationModule {}
