import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServersStoreModule } from '../servers/servers-store.module.js';
import { UsersModule } from '../users/users.module.js';
import { LibraryShare } from './entities/library-share.entity.js';
import { SharesRepository } from './shares.repository.js';
import { AccessService } from './access.service.js';

/**
 * Shares and the access decisions made from them: what the relay needs of sharing. A module of its
 * own so that the relay depends on it and not on SharingModule, which in turn reads the relay's
 * presence (RelayPresence, bound by RelayModule) for its views without a module cycle.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LibraryShare]), ServersStoreModule, UsersModule],
  providers: [SharesRepository, AccessService],
  exports: [SharesRepository, AccessService],
})
export class SharingAccessModule {}
