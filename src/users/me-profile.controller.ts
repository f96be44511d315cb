import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, UserAuth } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { HubError } from '../common/hub-error.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersService } from './users.service.js';
import { userView } from './entities/user.entity.js';
import { UserDto } from './dto/user-responses.dto.js';
import { UpdateProfileDto } from './dto/profile.dto.js';

@ApiTags('me')
@Controller('api/v1')
export class MeProfileController {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /** The signed-in user's display name. */
  @ApiOkResponse({ type: UserDto })
  @UserAuth()
  @Patch('me')
  async update(@CurrentUser() u: AuthUser, @Body() dto: UpdateProfileDto, @ClientIp() ip: string): Promise<UserDto> {
    const name = dto.display_name.trim();
    if (!name) {
      throw new HubError('request.validation_failed', 'display_name must not be blank', undefined, {}, [
        { field: 'display_name', message: 'display_name must not be blank' },
      ]);
    }
    const user = await this.users.update(u.id, { displayName: name });
    await this.audit.record({
      action: 'user.profile_updated',
      actorId: u.id,
      targetType: 'user',
      targetId: u.id,
      ip,
      details: { fields: ['display_name'] },
    });
    return userView(user);
  }
}
