import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { serversEntities } from './entities/index.js';
import { ServersRepository } from './servers.repository.js';
import { LibrariesRepository } from './libraries.repository.js';
import { HeartbeatsRepository } from './heartbeats.repository.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimTokensRepository } from './claim-tokens.repository.js';

/**
 * The servers feature's tables and the repositories that own their queries. A module of its own so
 * that the server verifier and sharing (which the relay, and so the rest of servers, depend on)
 * read servers and their libraries without a module cycle.
 */
@Module({
  imports: [TypeOrmModule.forFeature(serversEntities)],
  providers: [ServersRepository, LibrariesRepository, HeartbeatsRepository, ClaimsRepository, ClaimTokensRepository],
  exports: [ServersRepository, LibrariesRepository, HeartbeatsRepository, ClaimsRepository, ClaimTokensRepository],
})
export class ServersStoreModule {}
