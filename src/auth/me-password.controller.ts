import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { bearerToken } from '../common/bearer.js';
import { HubConfig } from '../config/config.js';
import { AccessTokenStrategy } from './access-token.strategy.js';
import { cookieAccessToken } from './cookie-session.js';
import { PasswordChangeService } from './password-change.service.js';
import { ChangePasswordDto, PasswordChangedDto } from './dto/password-change.dto.js';

/** Self-service password change (local accounts; a linked account has no password here). */
@ApiTags('me')
@Controller('api/v1/me')
export class MePasswordController {
  constructor(
    private readonly change: PasswordChangeService,
    private readonly access: AccessTokenStrategy,
    private readonly cfg: HubConfig,
  ) {}

  @ApiOkResponse({ type: PasswordChangedDto })
  @UserAuth({ localOnly: true })
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @CurrentUser() u: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Req() req: FastifyRequest,
    @ClientIp() ip: string,
  ): Promise<PasswordChangedDto> {
    // the session making the change stays: its id is in the access token, sent as Bearer or as the browser's session cookie
    const token = bearerToken(req) ?? cookieAccessToken(req, this.cfg);
    const claims = token ? await this.access.verify(token).catch(() => null) : null;
    const family = claims && typeof claims.sid === 'string' ? claims.sid : null;
    const r = await this.change.change(u.id, dto.current_password, dto.new_password, family, ip);
    return { changed: true, ...r };
  }
}
