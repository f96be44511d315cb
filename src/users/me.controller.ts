import type { AuthUser } from '../common/auth.decorators.js';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../common/auth.decorators.js';
import { UsersService } from './users.service.js';
import { userView } from './entities/user.entity.js';
import { AuthMeResponseDto, UserDto } from './dto/user-responses.dto.js';

@ApiTags('me')
@Controller('api/v1')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @ApiOkResponse({ type: UserDto })
  @UserAuth()
  @Get('me')
  async me(@CurrentUser() u: AuthUser): Promise<UserDto> {
    return userView(await this.users.getById(u.id));
  }

  /** PHP-hub spelling: `{ user: … }`. */
  @ApiOkResponse({ type: AuthMeResponseDto })
  @UserAuth()
  @Get('auth/me')
  async authMe(@CurrentUser() u: AuthUser): Promise<AuthMeResponseDto> {
    return { user: userView(await this.users.getById(u.id)) };
  }
}
