import type { AuthUser } from '../../common/auth.decorators.js';
import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../../common/auth.decorators.js';
import { uuidPipe } from '../../common/pipes.js';
import { OriginSessions } from './origin-sessions.service.js';

/** A one-time way onto a server's own origin. */
export class OriginEntryDto {
  @ApiProperty({
    format: 'uri',
    description:
      'open this in the browser (once, within a minute): it signs you in on the server’s own origin and goes to its start page',
  })
  url: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

@ApiTags('relay')
@Controller('api/v1/me/servers')
export class OriginOpenController {
  constructor(private readonly sessions: OriginSessions) {}

  @ApiCreatedResponse({ type: OriginEntryDto })
  @UserAuth()
  @Post(':id/open')
  @HttpCode(201)
  open(@CurrentUser() me: AuthUser, @Param('id', uuidPipe('server.not_found')) id: string): Promise<OriginEntryDto> {
    return this.sessions.issueEntry(me.id, id.toLowerCase());
  }
}
