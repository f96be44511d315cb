import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RelayModule } from '../relay.module.js';
import { SharingModule } from '../../sharing/sharing.module.js';
import { MediaLink } from './media-link.entity.js';
import { MediaLinksService } from './media-links.service.js';
import { MediaLinksRepository } from './media-links.repository.js';
import { MediaLinksController } from './media-links.controller.js';
import { MediaLinkRoute } from './media-link.route.js';

/** Media links for native players: `/api/v1/me/media-links` and the `/m/<secret>/…` route. */
@Module({
  imports: [TypeOrmModule.forFeature([MediaLink]), RelayModule, SharingModule],
  controllers: [MediaLinksController],
  providers: [MediaLinksService, MediaLinksRepository, MediaLinkRoute],
  exports: [MediaLinksService],
})
export class MediaLinksModule {}
