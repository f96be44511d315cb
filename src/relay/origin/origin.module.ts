import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RelayModule } from '../relay.module.js';
import { SharingModule } from '../../sharing/sharing.module.js';
import { OriginSession } from './origin-session.entity.js';
import { OriginSessions } from './origin-sessions.service.js';
import { OriginSessionsRepository } from './origin-sessions.repository.js';
import { OriginHostRoute } from './origin-host.route.js';
import { OriginOpenController } from './origin-open.controller.js';

/** Relayed servers on their own web origins (HUB_RELAY_HOST_TEMPLATE). */
@Module({
  imports: [TypeOrmModule.forFeature([OriginSession]), RelayModule, SharingModule],
  controllers: [OriginOpenController],
  providers: [OriginSessions, OriginSessionsRepository, OriginHostRoute],
})
export class RelayOriginModule {}
