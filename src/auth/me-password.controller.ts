import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { PasswordChangeService } from './password-change.service.js';
import { ChangePasswordDto, PasswordChangedDto } from './dto/password-change.dto.js';

/** Self-service password change (local accounts; a linked account has no password here). */
@ApiTags('me')
@Controller('api/v1/me')
export class MePasswordController {
  constructor(private readonly change: PasswordChangeService) {}

  @ApiOkResponse({ type: PasswordChangedDto })
  @UserAuth({ localOnly: true })
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @CurrentUser() u: AuthUser,
    @Body() dto: ChangePasswordDto,
    @ClientIp() ip: string,
  ): Promise<PasswordChangedDto> {
    // the session making the change stays (its id came with the access token, Bearer or browser cookie)
    const r = await this.change.change(u.id, dto.current_password, dto.new_password, u.sessionId, ip);
    return { changed: true, ...r };
  }
}
