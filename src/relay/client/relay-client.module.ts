import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SharingModule } from '../../sharing/sharing.module.js';
import { RelayModule } from '../relay.module.js';
import { CommonModule } from '../../common/common.module.js';
import { AuditModule } from '../../audit/audit.module.js';
import { RelayClientToken } from '../entities/relay-client-token.entity.js';
import { RelayTokensService } from './relay-tokens.service.js';
import { RelayTokensRepository } from './relay-tokens.repository.js';
import { RelayTokensController } from './relay-tokens.controller.js';
import { ChannelHub } from './channel-hub.js';
import { ClientChannelGateway } from './client-gateway.js';

/**
 * Raw client channels: client relay tokens (`/api/v1/me/servers/{id}/relay-token`) and the
 * WebSocket `/api/v1/relay/client/{server_id}` whose bytes ride the server's tunnel as DATA frames.
 */
@Module({
  imports: [TypeOrmModule.forFeature([RelayClientToken]), SharingModule, RelayModule, CommonModule, AuditModule],
  controllers: [RelayTokensController],
  providers: [RelayTokensService, RelayTokensRepository, ChannelHub, ClientChannelGateway],
  exports: [RelayTokensService, ChannelHub],
})
export class RelayClientModule {}
