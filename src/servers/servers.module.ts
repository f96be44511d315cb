import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../users/entities/user.entity.js';
import { Server } from './entities/server.entity.js';
import { ServerLibrary } from './entities/server-library.entity.js';
import { ServerClaim } from './entities/server-claim.entity.js';
import { ClaimToken } from './entities/claim-token.entity.js';
import { ServerHeartbeat } from './entities/server-heartbeat.entity.js';
import { ServersService } from './servers.service.js';
import { ServerReleaseService } from './release.service.js';
import { EnrollmentService } from './enrollment.service.js';
import { ClaimTokensService } from './claim-tokens.service.js';
import { ClaimBindingService } from './claim-binding.service.js';
import { ClaimsService } from './claims.service.js';
import { ClaimProofService } from './claim-proof.service.js';
import { ServerKeyProof } from './entities/server-key-proof.entity.js';
import { HeartbeatService } from './heartbeat.service.js';
import { ServerReaperService } from './reaper.service.js';
import { TunnelRevocationService } from './tunnel-revocation.service.js';
import { ServerClaimsController } from './server-claims.controller.js';
import { ServerSelfController } from './server-self.controller.js';
import { MeServersController } from './me-servers.controller.js';

/**
 * Servers: pairing (claim codes, headless claim tokens), enrollment JWTs and the server verifier,
 * heartbeats and presence, release. Exports ServersService (findById / getOwned) and
 * ServerReleaseService (admin / CLI release).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Server, ServerLibrary, ServerClaim, ClaimToken, ServerHeartbeat, ServerKeyProof, User])],
  controllers: [ServerClaimsController, ServerSelfController, MeServersController],
  providers: [
    ServersService, ServerReleaseService, EnrollmentService, ClaimTokensService, ClaimBindingService, ClaimsService, ClaimProofService,
    HeartbeatService, ServerReaperService, TunnelRevocationService,
  ],
  exports: [ServersService, ServerReleaseService, EnrollmentService, ServerReaperService],
})
export class ServersModule {}
