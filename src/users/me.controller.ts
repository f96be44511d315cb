import type { AuthUser } from '../common/auth.decorators.js';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../common/auth.decorators.js';
import { UsersService } from './users.service.js';
import { userView } from './entities/user.entity.js';

@ApiTags('me')
@Controller('api/v1')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @UserAuth() @Get('me')
  async me(@CurrentUser() u: AuthUser) {
    return userView(await this.users.getById(u.id));
  }

  /** PHP-hub spelling: `{ user: … }`. */
  @UserAuth() @Get('auth/me')
  async authMe(@CurrentUser() u: AuthUser) {
    return { user: userView(await this.users.getById(u.id)) };
  }
}
