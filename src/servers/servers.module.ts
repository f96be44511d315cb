import { Module } from '@nestjs/common';
import { ServersStoreModule } from './servers-store.module.js';
import { ServersService } from './servers.service.js';
import { ServerReleaseService } from './release.service.js';
import { ClaimTokensService } from './claim-tokens.service.js';
import { ClaimBindingService } from './claim-binding.service.js';
import { ClaimsService } from './claims.service.js';
import { ClaimProofService } from './claim-proof.service.js';
import { HeartbeatService } from './heartbeat.service.js';
import { ServerReaperService } from './reaper.service.js';
import { TunnelRevocationService } from './tunnel-revocation.service.js';
import { ServerClaimsController } from './server-claims.controller.js';
import { ServerSelfController } from './server-self.controller.js';
import { MeServersController } from './me-servers.controller.js';
import { AdminServersController } from './servers-admin.controller.js';
import { AdminServersService } from './servers-admin.service.js';
import { ServerAuthModule } from './server-auth.module.js';
import { CommonModule } from '../common/common.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { KeysModule } from '../auth/keys.module.js';
import { UsersModule } from '../users/users.module.js';
import { RelayModule } from '../relay/relay.module.js';
import { ServerRenameService } from './server-rename.service.js';

/**
 * Servers: pairing (claim codes, headless claim tokens), enrollment JWTs and the server verifier
 * (ServerAuthModule), heartbeats and presence, release, the admin server routes. Exports
 * ServersService (findById / getOwned) and ServerReleaseService (CLI release).
 */
@Module({
  imports: [ServersStoreModule, ServerAuthModule, CommonModule, AuditModule, KeysModule, UsersModule, RelayModule],
  controllers: [ServerClaimsController, ServerSelfController, MeServersController, AdminServersController],
  providers: [
    ServersService,
    ServerReleaseService,
    ClaimTokensService,
    ClaimBindingService,
    ClaimsService,
    ClaimProofService,
    HeartbeatService,
    ServerReaperService,
    TunnelRevocationService,
    AdminServersService,
    ServerRenameService,
  ],
  exports: [ServersService, ServerReleaseService, ServerAuthModule, ServerReaperService],
})
export class ServersModule {}
