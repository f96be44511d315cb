import type { AuthUser } from '../common/auth.decorators.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminAuth, CurrentUser } from '../common/auth.decorators.js';
import { ClientIp } from '../common/client-ip.js';
import { uuidPipe } from '../common/pipes.js';
import { AdminUsersService } from './users-admin.service.js';
import { AdminCreateUserDto, AdminPatchUserDto, ListUsersQuery } from './dto/users-admin.dto.js';
import { UserDto, UserPageDto } from './dto/user-responses.dto.js';

@ApiTags('admin')
@Controller('api/v1/admin/users')
export class AdminUsersController {
  constructor(private readonly svc: AdminUsersService) {}

  @ApiOkResponse({ type: UserPageDto })
  @AdminAuth()
  @Get()
  list(@Query() q: ListUsersQuery): Promise<UserPageDto> {
    return this.svc.list(q);
  }

  @ApiCreatedResponse({ type: UserDto })
  @AdminAuth()
  @Post()
  @HttpCode(201)
  create(@CurrentUser() me: AuthUser, @Body() dto: AdminCreateUserDto, @ClientIp() ip: string): Promise<UserDto> {
    return this.svc.create(me, dto, ip);
  }

  @ApiOkResponse({ type: UserDto })
  @AdminAuth()
  @Get(':id')
  get(@Param('id', uuidPipe('user.not_found')) id: string): Promise<UserDto> {
    return this.svc.get(id);
  }

  @ApiOkResponse({ type: UserDto })
  @AdminAuth()
  @Patch(':id')
  patch(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('user.not_found')) id: string,
    @Body() dto: AdminPatchUserDto,
    @ClientIp() ip: string,
  ): Promise<UserDto> {
    return this.svc.patch(me, id, dto, ip);
  }

  @ApiNoContentResponse({ description: 'The account and everything it owned on this hub are gone' })
  @AdminAuth()
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentUser() me: AuthUser,
    @Param('id', uuidPipe('user.not_found')) id: string,
    @ClientIp() ip: string,
  ) {
    await this.svc.remove(me, id, ip);
  }
}
