import type { AuthUser } from '../../common/auth.decorators.js';
import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../../common/auth.decorators.js';
import { uuidPipe } from '../../common/pipes.js';
import { MediaLinksService } from './media-links.service.js';
import { CreateMediaLinkDto, MediaLinkDto } from './media-links.dto.js';

/** Media links for native players (VLC, mpv, a TV): `GET <url>` plays what the link reaches. */
@ApiTags('relay')
@Controller('api/v1/me/media-links')
export class MediaLinksController {
  constructor(private readonly links: MediaLinksService) {}

  @ApiCreatedResponse({ type: MediaLinkDto })
  @UserAuth()
  @Post()
  @HttpCode(201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateMediaLinkDto): Promise<MediaLinkDto> {
    return this.links.create(me.id, dto);
  }

  @ApiNoContentResponse({ description: 'The link is revoked; streams opened with it end within a second' })
  @UserAuth()
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentUser() me: AuthUser, @Param('id', uuidPipe('media_link.not_found')) id: string): Promise<void> {
    await this.links.revoke(me.id, id);
  }
}
