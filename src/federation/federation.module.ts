import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { RelayModule } from '../relay/relay.module.js';
import { ServerPortsModule } from '../servers/server-ports.module.js';
import { SharingPortsModule } from '../sharing/sharing-ports.module.js';
import { AdminTrustedHubsController } from './trusted-hubs-admin.controller.js';
import { TrustedHub } from './entities/trusted-hub.entity.js';
import { UsedIdentityToken } from './entities/used-identity-token.entity.js';
import { FederationStubsController } from './federation-stubs.controller.js';
import { IdentityController } from './identity.controller.js';
import { IdentityService } from './identity.service.js';
import { TrustedHubsService } from './trusted-hubs.service.js';
import { TrustedHubsRepository } from './trusted-hubs.repository.js';
import { UsedIdentityTokensRepository } from './used-identity-tokens.repository.js';
import { UserTransferService } from './transfer/user-transfer.service.js';
import { ServerExportService } from './transfer/server-export.service.js';
import { ShareTransferService } from './transfer/share-transfer.service.js';

/**
 * Federation in v1: the future hub-to-hub API answers 501; manual account linking (trusted hubs,
 * identity tokens, shadow accounts) and the migration export/import services are real.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([TrustedHub, UsedIdentityToken]),
    UsersModule,
    AuthModule,
    CommonModule,
    AuditModule,
    RelayModule,
    ServerPortsModule,
    SharingPortsModule,
  ],
  controllers: [FederationStubsController, IdentityController, AdminTrustedHubsController],
  providers: [
    TrustedHubsRepository,
    UsedIdentityTokensRepository,
    TrustedHubsService,
    IdentityService,
    UserTransferService,
    ServerExportService,
    ShareTransferService,
  ],
  exports: [TrustedHubsService, IdentityService, UserTransferService, ServerExportService, ShareTransferService],
})
export class FederationModule {}
